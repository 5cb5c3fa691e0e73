import type { CliContext } from "./context.js";

/** A status line on stderr for a long operation (`cli.md`: "Long operations show progress on a TTY"). */
export interface Progress {
  /** Replaces the text after the spinner (e.g. `3/12 environments`). */
  update(text: string): void;
  /** Erases the line; later calls do nothing. */
  done(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/** For terminals whose locale is not UTF-8 (`LANG=C`): plain ASCII. */
const ASCII_FRAMES = ["-", "\\", "|", "/"];
/** Carriage return and erase-line: the status line is redrawn in place and leaves nothing behind. */
const ERASE = "\r\x1b[K";
const TICK_MS = 120;

const SILENT: Progress = { update: () => {}, done: () => {} };

/**
 * Starts a spinner line `⠋ LABEL… TEXT (Ns)` on stderr (`- LABEL... TEXT` in a non-UTF-8 locale), redrawn until `done()`. When stderr is not
 * a terminal (pipes, CI logs, `2>file`) it prints nothing at all, so scripted output stays clean.
 */
export function startProgress(ctx: CliContext, label: string): Progress {
  if (ctx.stderrIsTTY !== true) return SILENT;
  const utf8 = isUtf8Locale(ctx.env);
  const frames = utf8 ? FRAMES : ASCII_FRAMES;
  const ellipsis = utf8 ? "…" : "...";
  const started = Date.now();
  let frame = 0;
  let text = "";
  let finished = false;
  const draw = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    const elapsed = seconds > 0 ? ` (${seconds}s)` : "";
    ctx.stderr.write(`${ERASE}${frames[frame % frames.length]} ${label}${ellipsis}${text === "" ? "" : ` ${text}`}${elapsed}`);
    frame++;
  };
  draw();
  // unref: a spinner must never keep the process alive on its own
  const timer = setInterval(draw, TICK_MS);
  timer.unref();
  return {
    update(next) {
      if (finished) return;
      text = next;
      draw();
    },
    done() {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      ctx.stderr.write(ERASE);
    },
  };
}

/** The locale's character set, as the C library picks it: LC_ALL, then LC_CTYPE, then LANG. */
function isUtf8Locale(env: NodeJS.ProcessEnv): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== "") ?? "";
  return /utf-?8/i.test(locale);
}

/** Runs `work` with a progress line that is erased when it settles (success or failure). */
export async function withProgress<T>(ctx: CliContext, label: string, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = startProgress(ctx, label);
  try {
    return await work(progress);
  } finally {
    progress.done();
  }
}
