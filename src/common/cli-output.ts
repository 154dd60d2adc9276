/** Where a command-line tool writes its lines; specs pass their own to read them. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const CONSOLE: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
