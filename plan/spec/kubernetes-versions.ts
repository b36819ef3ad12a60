/**
 * The Kubernetes minor versions each cloud offers in standard support, per GKE release channel and for EKS: a dated
 * table, updated by hand when the clouds move (a cluster on a version outside it fails to create, or runs at the
 * extended-support price).
 *
 * As of 2026-11-29, from:
 * - EKS: "Understand the Kubernetes version lifecycle on EKS", https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 *   (awsdocs/amazon-eks-user-guide, latest/ug/versioning/kubernetes-versions.adoc): "A minor version is under standard
 *   support in Amazon EKS for the first 14 months after it's released", then 12 months of extended support at an extra
 *   price. End of standard support: 1.34 on 2026-12-02, 1.35 on 2027-03-27 (1.35's row as published on
 *   https://endoflife.date/amazon-eks); 1.33 left standard support on 2026-07-29. EKS 1.36 is not listed until its row
 *   is confirmed (`aws eks describe-cluster-versions`).
 * - GKE: release notes, "Current versions" (https://cloud.google.com/kubernetes-engine/docs/release-notes), as of
 *   mid-September 2026: RAPID 1.34–1.37, REGULAR 1.34–1.36, STABLE 1.34–1.35 (1.31–1.33 only in EXTENDED, which this
 *   program does not offer).
 */

/** The versions per (cloud, channel); EKS has one channel, its standard support. */
export const STANDARD_SUPPORT_VERSIONS = {
  aws: { standard: ["1.34", "1.35"] },
  gcp: {
    RAPID: ["1.34", "1.35", "1.36", "1.37"],
    REGULAR: ["1.34", "1.35", "1.36"],
    STABLE: ["1.34", "1.35"],
  },
} as const satisfies Record<"aws" | "gcp", Record<string, readonly string[]>>;

/**
 * The default: the newest version every cloud offers in standard support on its default channel (EKS; GKE REGULAR),
 * so a fleet across both clouds runs one version.
 */
export const DEFAULT_KUBERNETES_VERSION = "1.35";
