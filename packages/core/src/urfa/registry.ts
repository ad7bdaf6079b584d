import { UtmError } from '@utm5/common';
import { formatFid, renderApiXml, type FunctionSchema } from '@utm5/protocol';
import type { CoreFunction } from './core-function';

export class RegistryError extends UtmError {}

/** The URFA functions by id and by name; declared once, each with its schema and handler. */
export class FunctionRegistry {
  private readonly byId = new Map<number, CoreFunction>();
  private readonly byName = new Map<string, CoreFunction>();

  constructor(fns: readonly CoreFunction[] = []) {
    for (const f of fns) this.add(f);
  }

  add(f: CoreFunction): void {
    const dupe = this.byId.get(f.schema.id) ?? this.byName.get(f.schema.name);
    if (dupe) {
      throw new RegistryError(
        'UTM_URFA_DUPLICATE',
        `URFA function ${f.schema.name} (${formatFid(f.schema.id)}) collides with ` +
          `${dupe.schema.name} (${formatFid(dupe.schema.id)})`,
      );
    }
    this.byId.set(f.schema.id, f);
    this.byName.set(f.schema.name, f);
  }

  get(id: number): CoreFunction | undefined {
    return this.byId.get(id);
  }

  byFunctionName(name: string): CoreFunction | undefined {
    return this.byName.get(name);
  }

  all(): CoreFunction[] {
    return [...this.byId.values()].sort((a, b) => a.schema.id - b.schema.id);
  }

  schemas(): FunctionSchema[] {
    return this.all().map((f) => f.schema);
  }
}

export const API_XML_HEADER = `UTM5-TS api.xml: the URFA functions utm5_core serves, generated from its function registry
(npm run gen); do not edit. Ids, parameter types and order follow NetUP UTM5 5.3, so scripts written for UTM5
keep working. Functions with ids 0x60000000..0x6fffffff are UTM5-TS extensions (test clock, system services).`;

export function apiXml(reg: FunctionRegistry): string {
  return renderApiXml(reg.schemas(), API_XML_HEADER);
}
