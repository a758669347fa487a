import { expect } from "chai";
import { fromImages, imageBuildOrder, imageBuildSpec } from "../e2e/harness/imageBuildSpec";
import { buildOptions } from "../e2e/harness/dockerBuild";
import { imageRepository, LOCAL_STAND_INS, substituteFromLines, substituteImage } from "../e2e/harness/imageSubstitution";

describe("e2e harness: images", () => {
  it("maps pulled images to the local stand-ins by repository, any tag", () => {
    expect(substituteImage("ubuntu:22.04", LOCAL_STAND_INS)).to.equal("llpm-local/debian:bookworm");
    expect(substituteImage("docker.io/library/postgres:16.4-bookworm", LOCAL_STAND_INS)).to.equal("llpm-local/postgres:15-bookworm");
    expect(substituteImage("ghcr.io/berriai/litellm:main-v1.108.14-stable", LOCAL_STAND_INS)).to.equal("llpm-local/litellm:1.108.14");
    expect(substituteImage("node:20-bookworm-slim@sha256:abc", LOCAL_STAND_INS)).to.equal("llpm-local/node:20-bookworm");
    expect(substituteImage("llpm-dev/claude-code:latest", LOCAL_STAND_INS)).to.equal("llpm-dev/claude-code:latest");
    expect(imageRepository("localhost:5000/team/app:1.2")).to.equal("localhost:5000/team/app");
  });

  it("rewrites FROM lines but leaves ARG-based ones and stage names alone", () => {
    const dockerfile = "ARG BASE=ubuntu:22.04\nFROM --platform=linux/amd64 node:20-bookworm-slim AS build\nFROM ${BASE}\nfrom build\n";
    expect(substituteFromLines(dockerfile, LOCAL_STAND_INS)).to.equal(
      "ARG BASE=ubuntu:22.04\nFROM --platform=linux/amd64 llpm-local/node:20-bookworm AS build\nFROM ${BASE}\nfrom build\n",
    );
  });

  it("builds from the program's context, swapping base-image build args but not plain words", () => {
    const spec = imageBuildSpec(
      "base",
      {
        imageName: "llpm-e2e/base:latest",
        skipPush: true,
        build: { context: "images/base", args: { BASE_IMAGE: "ubuntu:22.04", TOOLCHAINS: "node", AGENT_UID: "1000" } },
      },
      "/repo",
      LOCAL_STAND_INS,
    );
    expect(spec).to.deep.equal({
      tag: "llpm-e2e/base:latest",
      context: "/repo/images/base",
      dockerfile: "/repo/images/base/Dockerfile",
      buildArgs: { BASE_IMAGE: "llpm-local/debian:bookworm", TOOLCHAINS: "node", AGENT_UID: "1000" },
    });
    expect(buildOptions(spec)).to.deep.include({ t: "llpm-e2e/base:latest", buildargs: spec.buildArgs });
  });

  it("resolves a relative dockerfile against the program folder, as the provider does", () => {
    const spec = imageBuildSpec("b", { imageName: "b:1", build: { context: "broker", dockerfile: "broker/Dockerfile.prod" } }, "/repo", {});
    expect(spec.dockerfile).to.equal("/repo/broker/Dockerfile.prod");
  });

  it("refuses to push and refuses unknown build fields", () => {
    expect(() => imageBuildSpec("b", { imageName: "b:1", skipPush: false }, "/repo", {})).to.throw(/skipPush/);
    expect(() => imageBuildSpec("b", { imageName: "b:1", build: { cacheFrom: { images: [] } } }, "/repo", {})).to.throw(/"cacheFrom"/);
  });

  it("builds every image after the images it is built from", () => {
    const base = { tag: "fleet/base:1", context: "/b", dockerfile: "/b/Dockerfile", buildArgs: {} };
    const agent = { tag: "fleet/claude:1", context: "/c", dockerfile: "/c/Dockerfile", buildArgs: { BASE_IMAGE: "fleet/base:1" } };
    const tool = { tag: "fleet/tool:1", context: "/t", dockerfile: "/t/Dockerfile", buildArgs: {} };
    const froms: Record<string, string[]> = { "fleet/tool:1": ["fleet/claude:1"] };
    expect(imageBuildOrder([tool, agent, base], (s) => froms[s.tag] ?? []).map((s) => s.tag)).to.deep.equal([
      "fleet/base:1", "fleet/claude:1", "fleet/tool:1",
    ]);
  });

  it("reads the images a Dockerfile starts from, with build args expanded", () => {
    const dockerfile = "ARG BASE_IMAGE=ubuntu:22.04\nFROM ${BASE_IMAGE} AS base\nFROM base\nFROM node:20 AS js\n";
    expect(fromImages(dockerfile, { BASE_IMAGE: "fleet/base:1" })).to.deep.equal(["fleet/base:1", "node:20"]);
    expect(fromImages(dockerfile, {})).to.deep.equal(["ubuntu:22.04", "node:20"]);
  });
});
