// One benchmark operation in its own process: `tsx electron/bench/child.ts <op> <runs> key=value…`.
// Prints one JSON line: the op's result plus this process's peak resident memory (VmHWM).
import { runOp } from './ops';
import { vmHwmMb, withRssPeak } from './measure';

async function main() {
  const [op, runs, ...rest] = process.argv.slice(2);
  const args = Object.fromEntries(rest.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const { value, peakMb } = await withRssPeak(() => runOp(op, args, Number(runs)));
  process.stdout.write(JSON.stringify({ ...value, rssPeakMb: peakMb, vmHwmMb: vmHwmMb() }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exitCode = 1;
});
