/**
 * Entry point of `npm run verify`; see ./verify/command.ts for flags, checks and exit codes.
 */
import { runVerifyCommand } from "./verify/command";

runVerifyCommand(process.argv.slice(2), { progress: (line) => process.stderr.write(`${line}\n`) }).then(
  (result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  },
  (error: unknown) => {
    process.stderr.write(`verify failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
