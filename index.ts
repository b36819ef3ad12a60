/**
 * The Pulumi program: reads this stack's config once, validates it (every problem reported before any resource
 * is registered), and builds the fleet. Stack outputs: see README "Stack outputs".
 */
import { fleetProgram } from "./program";
import { specFromPulumiConfig } from "./stacks/load";

export = fleetProgram(specFromPulumiConfig());
