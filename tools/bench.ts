/**
 * Entry point of `npm run bench` (and of its child processes); see ./bench-command.ts for flags and output.
 */
import { runBenchCommand } from "./bench-command";

runBenchCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
