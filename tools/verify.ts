/**
 * Entry point of `npm run verify`; see ./verify/command.ts for flags, checks and exit codes.
 */
import { runCli } from "./cli";
import { runVerifyCommand } from "./verify/command";

runCli("verify", runVerifyCommand(process.argv.slice(2), { progress: (line) => process.stderr.write(`${line}\n`) }));
