/**
 * The `npm run plan -- --format json` document (DESIGN.md "Offline plan"). Other tools rely on this shape.
 */
import type { RecordedResource } from "./mock-runtime";
import type { StandIn } from "./stand-ins";

export interface Violation {
  readonly policy: string;
  readonly enforcement: "advisory" | "mandatory" | "remediate" | "disabled";
  /** The resource the violation is about, or null for a stack-level finding without one. */
  readonly urn: string | null;
  readonly message: string;
}

/** The policy config a plan was checked with: its file (null: none, the pack's defaults) and each policy's level. */
export interface PolicyConfigUsed {
  readonly file: string | null;
  readonly enforcement: Readonly<Record<string, Violation["enforcement"]>>;
}

export interface PlanDocument {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
  readonly violations: readonly Violation[];
  /** Added after the first contract (new keys only): the stack file planned, relative to the project when inside it. */
  readonly stackFile?: string;
  /** Added after the first contract: the policy config used. */
  readonly policyConfig?: PolicyConfigUsed;
  /** Present when the stack file has `secure:` values: each one's config path and what planned in its place. */
  readonly standIns?: readonly StandIn[];
}
