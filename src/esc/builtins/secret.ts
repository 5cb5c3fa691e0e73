import { openEnvelope } from "../ciphertext.js";
import { S } from "../schema.js";
import { mkString } from "../value.js";
import { unknownResult, type Builtin } from "./builtin-env.js";

/**
 * `fn::secret` (esc-language.md §9.1): a plaintext literal marked secret, or a ciphertext envelope decrypted through the
 * environment's decrypter (not in check mode unless secrets are shown).
 */
export const secret: Builtin = (env, call, def) => {
  const a = call.args;
  if (a.fn !== "secret") return unknownResult(def, S.string(), true);
  if (a.ciphertext === undefined) {
    const p = a.plaintext ?? { text: "", node: call.rt.expr.node };
    return mkString(p.text, { range: p.node.range, path: p.node.path }, { secret: true });
  }
  const envelope = openEnvelope(a.ciphertext);
  if ("error" in envelope) {
    env.error(def, `invalid ciphertext: ${envelope.error}`);
    return unknownResult(def, S.string(), true);
  }
  const s = env.session;
  if (s.mode === "check" && !s.showSecrets) return unknownResult(def, S.string(), true);
  const decrypter = env.decrypter ?? s.decrypter;
  if (!decrypter) {
    env.error(def, "decrypting: no decrypter is available for this environment");
    return unknownResult(def, S.string(), true);
  }
  const r = s.memo.get(`decrypt\0${env.environment}\0${a.ciphertext}`, () => decrypter.decrypt(envelope.payload));
  if (r.state === "pending") {
    s.counters.pending++;
    return unknownResult(def, S.string(), true);
  }
  if (r.state === "error") {
    env.error(def, `decrypting: ${r.message}`);
    return unknownResult(def, S.string(), true);
  }
  if (typeof r.value === "string") return mkString(r.value, def, { secret: true });
  if (!(r.value instanceof Uint8Array)) {
    env.error(def, "decrypting: the decrypter returned neither bytes nor a string");
    return unknownResult(def, S.string(), true);
  }
  return mkString(new TextDecoder().decode(r.value), def, { secret: true });
};
