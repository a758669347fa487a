/** ANSI colours, only when the output is a terminal and NO_COLOR is unset (no-color.org). */
export interface Paint {
  red(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const code = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plainText = (s: string) => s;

export const COLOURS: Paint = { red: code(31, 39), green: code(32, 39), cyan: code(36, 39), dim: code(2, 22), bold: code(1, 22) };
export const PLAIN: Paint = { red: plainText, green: plainText, cyan: plainText, dim: plainText, bold: plainText };

export function paintFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Paint {
  return stream.isTTY && !env.NO_COLOR ? COLOURS : PLAIN;
}
