import { createInterface } from "node:readline";
import { CliError, type CliContext } from "./context.js";

/** Asks on stderr and reads one line from a terminal without echoing it (for tokens). */
export function promptHidden(ctx: CliContext, question: string): Promise<string> {
  const stdin = ctx.stdin;
  return new Promise((resolve, reject) => {
    ctx.stderr.write(question);
    let answer = "";
    const raw = typeof stdin.setRawMode === "function";
    if (raw) stdin.setRawMode?.(true);
    const finish = (err?: Error) => {
      stdin.removeListener("data", onData);
      if (raw) stdin.setRawMode?.(false);
      stdin.pause();
      ctx.stderr.write("\n");
      if (err !== undefined) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") return finish(new CliError("cancelled"));
        if (ch === "\u007f" || ch === "\b") answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on("data", onData);
    stdin.resume();
  });
}

/** Asks a yes/no question on stderr; only `y` or `yes` confirms. */
export function confirm(ctx: CliContext, question: string): Promise<boolean> {
  // terminal: false leaves echo and line editing to the terminal itself (no escape sequences)
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    rl.question(`${question} [y/N] `, (answer) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
    rl.on("close", () => {
      if (!answered) resolve(false);
    });
  });
}
