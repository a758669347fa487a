/**
 * The exec ids created through this filter, so start, inspect and resize reach only those: an exec
 * someone else made (in any container) is refused. Bounded: the oldest ids go first, long after
 * their exec has ended (the broker starts an exec within milliseconds of creating it).
 */
export class ExecRegistry {
  private readonly ids = new Map<string, string>();

  constructor(private readonly capacity = 10000) {}

  add(execId: string, containerId: string): void {
    this.ids.delete(execId);
    this.ids.set(execId, containerId);
    while (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value as string);
  }

  has(execId: string): boolean {
    return this.ids.has(execId);
  }

  get size(): number {
    return this.ids.size;
  }
}
