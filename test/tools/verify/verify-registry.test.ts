import { describe, expect, it } from "vitest";
import { MESHES } from "../../../plan/spec";
import { meshVerifier } from "../../../tools/verify/meshes";

describe("the health checks' registry", () => {
  it.each(MESHES)("has checks for the shipped %s interconnect", (kind) => {
    expect(meshVerifier(kind)?.start).toBeTypeOf("function");
  });
});
