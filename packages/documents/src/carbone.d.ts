// The part of carbone 3's untyped API this package uses.
declare module 'carbone' {
  interface CarboneRenderOptions {
    lang?: string;
    timezone?: string;
    complement?: object;
    convertTo?: string;
    extension?: string;
  }
  type Formatter = (this: unknown, value: unknown, ...args: unknown[]) => unknown;
  const carbone: {
    set(opts: { tempPath?: string; templatePath?: string; factories?: number; startFactory?: boolean }): void;
    addFormatters(f: Readonly<Record<string, Formatter>>): void;
    render(
      templatePath: string,
      data: object,
      options: CarboneRenderOptions,
      cb: (err: unknown, result: Buffer | string | null) => void,
    ): void;
    formatters: Record<string, Formatter>;
  };
  export = carbone;
}
