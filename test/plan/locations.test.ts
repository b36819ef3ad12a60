import { describe, expect, it } from "vitest";
import { renderIssue } from "../../plan/issues";
import { checkFleetConfig } from "../../plan/spec";

const aws0 = { name: "aws-use1", cloud: "aws", region: "us-east-1", zones: ["us-east-1a", "us-east-1b"], slot: 0 };
const gcp1 = {
  name: "gcp-usc1",
  cloud: "gcp",
  region: "us-central1",
  zones: ["us-central1-a"],
  slot: 1,
  gcp: { project: "acme-platform" },
};

function problems(cluster: Record<string, unknown>): string[] {
  return checkFleetConfig({ mesh: "istio", clusters: [cluster] }, "dev").map(renderIssue);
}

describe("regions and zones against each cloud's lists", () => {
  it("refuses AWS regions the SDK does not list, suggesting the closest", () => {
    expect(problems({ ...aws0, region: "us-esat-1", zones: ["us-esat-1a", "us-esat-1b"] })).toEqual([
      'multicluster-mesh:clusters[0].region: not in the list of AWS regions ("us-esat-1") — did you mean us-east-1?; for a region newer than the list, set clusters[0].allowUnlistedRegion: true',
    ]);
    expect(problems({ ...aws0, region: "eu-west-9", zones: ["eu-west-9a", "eu-west-9b"] })).toEqual([
      'multicluster-mesh:clusters[0].region: not in the list of AWS regions ("eu-west-9") — did you mean eu-west-1?; for a region newer than the list, set clusters[0].allowUnlistedRegion: true',
    ]);
    expect(problems({ ...aws0, region: "zz-north-7", zones: ["zz-north-7a", "zz-north-7b"] })).toEqual([
      'multicluster-mesh:clusters[0].region: not in the list of AWS regions ("zz-north-7") — use a region such as us-east-1; for a region newer than the list, set clusters[0].allowUnlistedRegion: true',
    ]);
  });

  it("refuses GCP regions and zones the table does not list", () => {
    expect(problems({ ...gcp1, region: "us-central9", zones: ["us-central9-a"] })).toEqual([
      'multicluster-mesh:clusters[0].region: not in the list of GCP regions ("us-central9") — did you mean us-central1?; for a region newer than the list, set clusters[0].allowUnlistedRegion: true',
    ]);
    expect(problems({ ...gcp1, zones: ["us-central1-a", "us-central1-e"] })).toEqual([
      'multicluster-mesh:clusters[0].zones[1]: not a zone of us-central1 ("us-central1-e") — use one of: us-central1-a, us-central1-b, us-central1-c, us-central1-f; for a zone newer than the list, set clusters[0].allowUnlistedRegion: true',
    ]);
  });

  it("accepts every listed region, including AWS's non-commercial partitions", () => {
    expect(problems({ ...aws0, region: "us-gov-west-1", zones: ["us-gov-west-1a", "us-gov-west-1b"] })).toEqual([]);
    expect(problems({ ...aws0, region: "eusc-de-east-1", zones: ["eusc-de-east-1a", "eusc-de-east-1b"] })).toEqual([]);
    expect(problems({ ...gcp1, region: "europe-west12", zones: ["europe-west12-a"] })).toEqual([]);
  });

  it("checks AWS zones by shape only, as zone letters are per account", () => {
    expect(problems({ ...aws0, zones: ["us-east-1a", "us-east-1z"] })).toEqual([]);
    expect(problems({ ...aws0, zones: ["us-east-1a", "us-east-1-a"] })).toEqual([
      'multicluster-mesh:clusters[0].zones[1]: zone is not in region us-east-1 ("us-east-1-a") — use zones of us-east-1 such as us-east-1a, or change the region',
    ]);
  });

  it("lets allowUnlistedRegion through a newer region, still checking the names' shape", () => {
    const newer = { ...aws0, region: "eu-west-9", zones: ["eu-west-9a", "eu-west-9b"], allowUnlistedRegion: true };
    expect(problems(newer)).toEqual([]);
    expect(problems({ ...newer, zones: ["eu-west-9a", "eu-west-1b"] })).toEqual([
      'multicluster-mesh:clusters[0].zones[1]: zone is not in region eu-west-9 ("eu-west-1b") — use zones of eu-west-9 such as eu-west-9a, or change the region',
    ]);
    expect(problems({ ...gcp1, zones: ["us-central1-e"], allowUnlistedRegion: true })).toEqual([]);
    expect(
      problems({ ...gcp1, region: "europe-west99", zones: ["europe-west99-a"], allowUnlistedRegion: true }),
    ).toEqual([]);
    expect(problems({ ...newer, region: "virginia" })).toEqual([
      'multicluster-mesh:clusters[0].region: not an AWS region name ("virginia") — write a region name such as us-east-1',
    ]);
  });
});
