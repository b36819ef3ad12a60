/** Existing clusters (on-premises, kind): their declared ranges, which may be public; nothing billed by the program. */
import type { CloudTraits } from "./index";

export const existing: CloudTraits<"existing"> = {
  cloud: "existing",
  title: "existing",
  loadBalancer: "LoadBalancer",
  addressLayout: "declared",
  privateRangesOnly: false,
  controlPlaneRange: false,
};
