import { createCipheriv, createDecipheriv, pbkdf2, randomBytes } from "node:crypto";
import { promisify } from "node:util";

const pbkdf2Async = promisify(pbkdf2);

// Pulumi's passphrase secrets manager (pkg/secrets/passphrase) and symmetric crypter (sdk/go/common/resource/config/crypt.go).
const ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const SALT_BYTES = 8;
const TAG_BYTES = 16;
const CHECK_TEXT = "pulumi";

/** Encrypts and decrypts `secure:` values exactly as Pulumi's passphrase secrets provider does. */
export interface PassphraseCrypter {
  /** `v1:<base64 nonce>:<base64 AES-256-GCM ciphertext‖tag>` with a fresh random nonce. */
  encrypt(plaintext: string): string;
  /** The plaintext of a `v1:` value; throws on a value of another key or a damaged one. */
  decrypt(ciphertext: string): string;
  /** The stack file's `encryptionsalt` this crypter belongs to. */
  readonly encryptionSalt: string;
}

/** Pulumi's message when the passphrase does not open the stack's salt. */
export const INCORRECT_PASSPHRASE = "incorrect passphrase";

/**
 * The crypter of a stack whose file holds `encryptionsalt: v1:<base64 salt>:v1:<nonce>:<ciphertext>`:
 * key = PBKDF2-HMAC-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes); the part after the salt
 * must decrypt to "pulumi" (else {@link INCORRECT_PASSPHRASE}).
 */
export async function createPassphraseCrypter(passphrase: string, encryptionSalt: string): Promise<PassphraseCrypter> {
  const m = /^v1:([^:]*):(v1:[^:]*:[^:]*)$/.exec(encryptionSalt);
  if (m === null) throw new Error("bad encryption salt: expected v1:<salt>:v1:<nonce>:<ciphertext>");
  const key = await deriveKey(passphrase, Buffer.from(m[1] as string, "base64"));
  const crypter = crypterFor(key, encryptionSalt);
  let check: string;
  try {
    check = crypter.decrypt(m[2] as string);
  } catch {
    throw new Error(INCORRECT_PASSPHRASE);
  }
  if (check !== CHECK_TEXT) throw new Error(INCORRECT_PASSPHRASE);
  return crypter;
}

/** A new salt for a passphrase, as `pulumi stack init --secrets-provider passphrase` writes it. */
export async function newEncryptionSalt(passphrase: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(passphrase, salt);
  return `v1:${salt.toString("base64")}:${encryptWith(key, CHECK_TEXT)}`;
}

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return pbkdf2Async(Buffer.from(passphrase, "utf8"), salt, ITERATIONS, KEY_BYTES, "sha256");
}

function crypterFor(key: Buffer, encryptionSalt: string): PassphraseCrypter {
  return {
    encryptionSalt,
    encrypt: (plaintext) => encryptWith(key, plaintext),
    decrypt(ciphertext) {
      const m = /^v1:([^:]*):([^:]*)$/.exec(ciphertext);
      if (m === null) throw new Error("bad value: expected v1:<nonce>:<ciphertext>");
      const nonce = Buffer.from(m[1] as string, "base64");
      const sealed = Buffer.from(m[2] as string, "base64");
      if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new Error("bad value: wrong nonce or ciphertext length");
      const decipher = createDecipheriv("aes-256-gcm", key, nonce);
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new Error("value does not decrypt with this passphrase");
      }
    },
  };
}

function encryptWith(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}
