import { UrfaClient, VarStore, type FunctionSchema, type UrfaClientOptions } from '@utm5/protocol';
import { loadApiXml } from './api-schema';
import { XmlFileError } from './xml-tree';

export type ApiInput = string | number | readonly ApiInput[];

/**
 * Calls URFA functions by name through an api.xml scheme: the way our other tools (payment_tool, send_cdr, ...)
 * and scripts in TypeScript talk to the core.
 */
export class UrfaApi {
  private constructor(
    readonly client: UrfaClient,
    readonly functions: ReadonlyMap<string, FunctionSchema>,
    private readonly options: UrfaClientOptions,
  ) {}

  static async open(apiFile: string, options: UrfaClientOptions): Promise<UrfaApi> {
    const functions = loadApiXml(apiFile);
    return new UrfaApi(await UrfaClient.connect(options), functions, options);
  }

  /** Another session to the same core with the same login and scheme (api.xml is not read again). */
  async another(): Promise<UrfaApi> {
    return new UrfaApi(await UrfaClient.connect(this.options), this.functions, this.options);
  }

  /** Calls `name` with inputs (lists for array inputs, nested lists for i,j arrays); returns the outputs as variables. */
  async call(name: string, inputs: Readonly<Record<string, ApiInput>> = {}): Promise<VarStore> {
    const schema = this.functions.get(name);
    if (!schema) throw new XmlFileError('UTM_URFA_NO_FUNCTION', `function '${name}' is not in the api.xml scheme`);
    return this.callSchema(schema, inputs);
  }

  /** Calls a function by a layout the caller holds (one api.xml may not have yet). */
  async callSchema(schema: FunctionSchema, inputs: Readonly<Record<string, ApiInput>> = {}): Promise<VarStore> {
    const vars = new VarStore();
    for (const [k, v] of Object.entries(inputs)) {
      if (Array.isArray(v)) vars.setTree(k, v);
      else vars.set(k, [0], String(v));
    }
    await this.client.call(schema, { vars, now: () => Math.floor(Date.now() / 1000) });
    return vars;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
