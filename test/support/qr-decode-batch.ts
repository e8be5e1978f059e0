import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./qr-decode-child.mjs', import.meta.url));

/**
 * Reads many QR SVGs with decodeQrSvg (qr-decode.ts) in a plain Node process
 * rather than in Jest's VM context, where jsQR is several times slower. The
 * child runs the TypeScript decoder as it is, with Node's type stripping.
 */
export function decodeQrSvgs(svgs: string[]): Promise<(string | null)[]> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, {
      execArgv: ['--experimental-strip-types', '--no-warnings'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let texts: (string | null)[] | undefined;
    child.once('message', (message) => {
      texts = message as (string | null)[];
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (texts) resolve(texts);
      else reject(new Error(`the QR decoding process exited with ${code}`));
    });
    child.send(svgs);
  });
}
