import { expect } from "chai";
import { applyOrder, diffResources, kindOf } from "../e2e/harness/plan";
import type { RecordedResource } from "../e2e/harness/recordedResource";

const container = (name: string, role: string, extra: Record<string, unknown> = {}): RecordedResource => ({
  type: "docker:index/container:Container",
  name,
  id: `${name}-id`,
  inputs: { name, image: "x", labels: [{ label: "llpm.role", value: role }], ...extra },
});
const of = (type: string, name: string): RecordedResource => ({ type, name, id: `${name}-id`, inputs: {} });

describe("e2e harness: plan", () => {
  it("orders networks, volumes, images, dynamic resources (workspace folders), then postgres, litellm, broker, agents", () => {
    const recorded = [
      container("agent-1", "agent"),
      container("broker", "broker"),
      of("pulumi-nodejs:dynamic/llpm:WorkspaceFolder", "ws-1"),
      of("docker:index/image:Image", "base"),
      container("litellm", "litellm"),
      of("random:index/randomPassword:RandomPassword", "pw"),
      of("docker:index/volume:Volume", "pgdata"),
      container("postgres", "postgres"),
      of("docker:index/network:Network", "net"),
      of("llpm:fleet:Fleet", "fleet"),
    ];
    expect(applyOrder(recorded).map((p) => p.resource.name)).to.deep.equal([
      "net", "pgdata", "base", "ws-1", "postgres", "litellm", "broker", "agent-1",
    ]);
  });

  it("refuses a resource type it cannot materialise instead of leaving it out", () => {
    expect(() => kindOf(of("docker:index/service:Service", "svc"))).to.throw(/docker:index\/service:Service/);
  });

  it("diffs two recordings by type and name: added, removed, kept, and input changes", () => {
    const before = [container("agent-1", "agent"), container("agent-2", "agent"), container("broker", "broker")];
    const after = [
      container("agent-1", "agent"),
      container("broker", "broker", { envs: ["X=1"] }),
      container("agent-3", "agent"),
    ];
    const diff = diffResources(before, after);
    expect(diff.added.map((r) => r.name)).to.deep.equal(["agent-3"]);
    expect(diff.removed.map((r) => r.name)).to.deep.equal(["agent-2"]);
    expect(diff.kept.map((r) => r.name)).to.deep.equal(["agent-1", "broker"]);
    expect(diff.changed).to.deep.equal([{ name: "broker", type: "docker:index/container:Container", fields: ["envs"] }]);
  });
});
