import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Region } from "@pulumi/aws/types/enums";
import { AWS_REGIONS, conventionalClusterName, knownRegions, regionAbbreviation, zonesOf } from "../../plan/regions";
import { parseFleetSpec } from "../../plan/spec";
import { rawConfigFromStackYaml } from "../../stacks/load";
import { PROJECT_ROOT } from "../../tools/plan-command";

describe("the region table", () => {
  it("spells zones as each cloud does", () => {
    expect(zonesOf("aws", "ca-central-1")).toEqual(["ca-central-1a", "ca-central-1b", "ca-central-1d"]);
    expect(zonesOf("gcp", "europe-west1")).toEqual(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
    expect(zonesOf("gcp", "us-central1")).toEqual(["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]);
    expect(zonesOf("aws", "us-central1")).toBeUndefined();
    expect(zonesOf("aws", "constructor")).toBeUndefined();
  });

  it("lists at least three zones for every region", () => {
    for (const cloud of ["aws", "gcp"] as const) {
      for (const region of knownRegions(cloud)) {
        expect(zonesOf(cloud, region)?.length, `${cloud} ${region}`).toBeGreaterThanOrEqual(3);
        expect(conventionalClusterName(cloud, region), `${cloud} ${region}`).toMatch(/^(aws|gcp)-[a-z]{3,5}\d+$/);
      }
    }
  });

  it("lists exactly the AWS regions of the installed @pulumi/aws Region enum", () => {
    expect([...AWS_REGIONS].sort()).toEqual(Object.values(Region).sort());
  });

  it("abbreviates regions by the naming convention", () => {
    expect(
      [
        ["aws", "us-east-1"],
        ["aws", "ap-southeast-2"],
        ["aws", "eu-central-1"],
        ["gcp", "us-central1"],
        ["gcp", "europe-west4"],
        ["gcp", "northamerica-northeast1"],
        ["gcp", "australia-southeast1"],
      ].map(([c, r]) => regionAbbreviation(c as "aws" | "gcp", r as string)),
    ).toEqual(["use1", "apse2", "euc1", "usc1", "euw4", "nane1", "ause1"]);
    expect(regionAbbreviation("aws", "us-up-1")).toBeUndefined();
    expect(regionAbbreviation("gcp", "us-east-1")).toBeUndefined();
  });

  it("knows every shipped cloud cluster's region and zones, and names it as the stack does", () => {
    const stacks = readdirSync(join(PROJECT_ROOT, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    let checked = 0;
    for (const file of stacks) {
      const path = join(PROJECT_ROOT, "stacks", file);
      const spec = parseFleetSpec(rawConfigFromStackYaml(readFileSync(path, "utf8"), path), "x");
      for (const c of spec.clusters) {
        if (c.cloud === "existing") continue;
        expect(conventionalClusterName(c.cloud, c.region)).toBe(c.name);
        expect(zonesOf(c.cloud, c.region)).toEqual(expect.arrayContaining([...c.zones]));
        checked++;
      }
    }
    expect(checked).toBe(12);
  });
});
