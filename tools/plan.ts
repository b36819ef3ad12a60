/**
 * Entry point of `npm run plan`; see ./plan-command.ts for flags, formats and exit codes.
 */
import { runPlanCommand } from "./plan-command";

runPlanCommand(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  },
  (error: unknown) => {
    process.stderr.write(`plan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
