import { connect, type PeerCertificate } from "node:tls";

/** What the TLS handshake with a server showed. */
export interface TlsProbe {
  /** Whether the chain verified against the trusted CAs (Node's, or `ca`) and matched the host. */
  readonly authorized: boolean;
  /** Node's reason when not authorized (`SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`, …). */
  readonly authorizationError?: string;
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  /** The negotiated protocol, e.g. `TLSv1.3`. */
  readonly protocol: string;
}

/**
 * Connects to `host:port`, completes the TLS handshake WITHOUT refusing an untrusted certificate
 * (so that its details can be reported), and returns what verification would have said.
 * Rejects on network failures and time-outs.
 */
export function probeTls(host: string, port: number, ca: Buffer | undefined, timeoutMs: number): Promise<TlsProbe> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      // SNI takes names only, never IP addresses
      ...(isIpAddress(host) ? {} : { servername: host }),
      ...(ca !== undefined ? { ca } : {}),
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs / 1000} s`)));
    socket.once("error", reject);
    socket.once("secureConnect", () => {
      const cert: PeerCertificate = socket.getPeerCertificate();
      const authorizationError = socket.authorizationError === null ? undefined : String(socket.authorizationError);
      resolve({
        authorized: socket.authorized,
        ...(authorizationError !== undefined ? { authorizationError } : {}),
        subject: distinguishedName(cert.subject),
        issuer: distinguishedName(cert.issuer),
        validFrom: new Date(cert.valid_from),
        validTo: new Date(cert.valid_to),
        protocol: socket.getProtocol() ?? "",
      });
      socket.end();
    });
  });
}

function distinguishedName(name: PeerCertificate["subject"] | undefined): string {
  if (name === undefined) return "";
  const cn = name.CN;
  if (cn !== undefined) return Array.isArray(cn) ? cn.join(",") : cn;
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : v}`)
    .join(", ");
}

function isIpAddress(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(":");
}
