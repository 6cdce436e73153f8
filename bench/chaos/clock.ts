/** The run's one clock: every line printed and every time in the results counts from the start. */
const startedAt = Date.now();

/** Seconds since the run started, to a tenth. */
export function elapsedS(): number {
  return Math.round((Date.now() - startedAt) / 100) / 10;
}

/** Prints a line with the run's time: `[+02:15.3] fault: …`. */
export function say(line: string): void {
  const offset = elapsedS();
  const minutes = Math.floor(offset / 60);
  const seconds = (offset - minutes * 60).toFixed(1).padStart(4, '0');
  process.stdout.write(`[+${String(minutes).padStart(2, '0')}:${seconds}] ${line}\n`);
}
