import { execFileSync } from 'node:child_process';

/**
 * Runs Debian's /usr/bin/python3 (the interpreter that has python3-onnx). A missing package is a
 * test failure naming it, never a skip.
 */
export function runPython(script: string, args: readonly string[] = []): string {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'pipe' });
  } catch {
    throw new Error(
      'python3 cannot import onnx: install the Debian package python3-onnx (apt-get install -y python3-onnx)',
    );
  }
  return execFileSync('/usr/bin/python3', ['-c', script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** onnx.checker.check_model(full_check=True) on each file; returns per-file "ok" or the error. */
export function onnxCheck(paths: readonly string[]): string[] {
  const script = `
import sys, onnx
for p in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(p), full_check=True)
        print('ok')
    except Exception as e:
        print('FAIL ' + p + ': ' + str(e).replace('\\n', ' '))
`;
  return runPython(script, paths).trim().split('\n');
}
