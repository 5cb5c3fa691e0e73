import { Code, ConnectError } from "@connectrpc/connect";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import { DiagnosticSchema, DiagnosticsSchema, Diagnostic_Severity, type Diagnostic } from "../gen/openesc/v1/diagnostic_pb.js";
import { create } from "@bufbuild/protobuf";

/** Bounds on a definition (ARCHITECTURE.md rule 6). */
export const MAX_DEFINITION_BYTES = 1024 * 1024;
export const MAX_DEFINITION_DEPTH = 64;

/**
 * Refuses a definition that cannot be an environment: not YAML, a root that is not a mapping,
 * aliases (the language rejects them), over 1 MiB or nested deeper than 64. The error is
 * InvalidArgument `definition: LINE:COLUMN: …` with the diagnostics attached; messages hold
 * positions only, never the text. Returns the definition to store ("" becomes "{}\n").
 */
export function checkDefinitionShape(environment: string, definition: string): string {
  if (Buffer.byteLength(definition, "utf8") > MAX_DEFINITION_BYTES) {
    throw refuse(environment, [{ summary: `definition is larger than ${MAX_DEFINITION_BYTES} bytes` }]);
  }
  if (definition.trim() === "") return "{}\n";
  const lines = new LineCounter();
  const doc = parseDocument(definition, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const problems: Problem[] = doc.errors.map((e) => ({ summary: e.message.split("\n")[0] ?? e.message, offset: e.pos[0] }));
  if (problems.length === 0) {
    const root = doc.contents;
    if (root !== null && !isMap(root)) {
      problems.push({ summary: "the definition must be a mapping", offset: root.range?.[0] ?? 0 });
    }
    visit(doc, {
      Alias(_, node) {
        problems.push({ summary: "alias nodes are not supported", offset: node.range?.[0] ?? 0 });
      },
    });
    const deep = findTooDeep(root, 1);
    if (deep !== undefined) problems.push({ summary: `the definition is nested deeper than ${MAX_DEFINITION_DEPTH} levels`, offset: deep });
  }
  if (problems.length > 0) throw refuse(environment, problems, lines);
  return definition;
}

interface Problem {
  readonly summary: string;
  readonly offset?: number;
}

function findTooDeep(node: unknown, depth: number): number | undefined {
  if (!(isMap(node) || isSeq(node))) return undefined;
  if (depth > MAX_DEFINITION_DEPTH) return node.range?.[0] ?? 0;
  for (const item of node.items as unknown[]) {
    const value = isMap(node) ? (item as { value: unknown }).value : item;
    if (isScalar(value) || isAlias(value)) continue;
    const found = findTooDeep(value, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function refuse(environment: string, problems: readonly Problem[], lines?: LineCounter): ConnectError {
  const diagnostics: Diagnostic[] = problems.map((p) => {
    const pos = p.offset !== undefined && lines !== undefined ? lines.linePos(p.offset) : undefined;
    return create(DiagnosticSchema, {
      severity: Diagnostic_Severity.ERROR,
      summary: p.summary,
      range: pos === undefined ? undefined : { environment, begin: { line: pos.line, column: pos.col, byte: p.offset }, end: { line: pos.line, column: pos.col, byte: p.offset } },
    });
  });
  const first = diagnostics[0]!;
  const where = first.range?.begin === undefined ? "" : `${first.range.begin.line}:${first.range.begin.column}: `;
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  return new ConnectError(`definition: ${where}${first.summary}${more}`, Code.InvalidArgument, undefined, [
    { desc: DiagnosticsSchema, value: { diagnostics } },
  ]);
}
