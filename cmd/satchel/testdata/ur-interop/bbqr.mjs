// bbqr.mjs: Coinkite's own BBQr code (the bbqr package) on the other side of satchel's BBQr
// interop test (cmd/satchel/ur_interop_test.go).
//
//   node bbqr.mjs join                  BBQr parts on stdin, one per line; prints
//                                       {"file_type", "encoding", "hex"} as JSON
//   node bbqr.mjs split ENCODING MAXVER a PSBT in hex on stdin; prints its BBQr parts, one per
//                                       line, in QR codes of at most version MAXVER
// NODE_PATH does not reach ES modules, so the package is imported by the path in BBQR_MAIN.
import { readFileSync } from 'node:fs';

const { splitQRs, joinQRs } = await import(process.env.BBQR_MAIN);
const input = readFileSync(0, 'utf8');
const mode = process.argv[2];

if (mode === 'join') {
  const parts = input.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const r = joinQRs(parts);
  console.log(JSON.stringify({ file_type: r.fileType, encoding: r.encoding, hex: Buffer.from(r.raw).toString('hex') }));
} else if (mode === 'split') {
  const raw = Uint8Array.from(Buffer.from(input.trim(), 'hex'));
  const r = splitQRs(raw, 'P', { encoding: process.argv[3], maxVersion: parseInt(process.argv[4], 10) });
  for (const p of r.parts) console.log(p);
} else {
  console.error('usage: node bbqr.mjs join | split ENCODING MAXVER');
  process.exit(2);
}
