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

export interface PlanDocument {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
  readonly violations: readonly Violation[];
  /** Present when the stack file has `secure:` values: each one's config path and what planned in its place. */
  readonly standIns?: readonly StandIn[];
}
