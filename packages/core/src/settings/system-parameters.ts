import { UtmError, type Service } from '@utm5/common';
import { SYSTEM_PARAMETERS, SystemParameterRepo, type Database } from '@utm5/db';

export class SystemParameterError extends UtmError {}

/**
 * System parameters in memory (loaded at start, written through): every change is published to daemons subscribed
 * to the system_parameters topic.
 */
export class SystemParameterService implements Service {
  readonly name = 'system parameters';
  private values = new Map<string, string>();
  private readonly repo: SystemParameterRepo;

  constructor(
    db: Database,
    private readonly onChange: (name: string, value: string) => void,
  ) {
    this.repo = new SystemParameterRepo(db);
  }

  async start(): Promise<void> {
    this.values = await this.repo.all();
  }

  async stop(): Promise<void> {}

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** The parameter as an integer, or its declared default when the stored text is not one. */
  int(name: string): number {
    const n = Number(this.values.get(name));
    if (Number.isFinite(n)) return n;
    return Number(SYSTEM_PARAMETERS.find((p) => p.name === name)?.default ?? 0);
  }

  entries(): [string, string][] {
    return [...this.values.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  description(name: string): string {
    return SYSTEM_PARAMETERS.find((p) => p.name === name)?.description ?? '';
  }

  async set(name: string, value: string): Promise<void> {
    if (!this.values.has(name)) {
      throw new SystemParameterError('UTM_SYSPARAM_UNKNOWN', `no system parameter '${name}'`);
    }
    await this.repo.set(name, value);
    this.values.set(name, value);
    this.onChange(name, value);
  }
}
