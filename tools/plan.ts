/**
 * Entry point of `npm run plan`; see ./plan-command.ts for flags, formats and exit codes.
 */
import { runCli } from "./cli";
import { runPlanCommand } from "./plan-command";

runCli("plan", runPlanCommand(process.argv.slice(2)));
