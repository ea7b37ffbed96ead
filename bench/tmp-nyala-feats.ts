import fs from 'node:fs';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { readLabels } from '../electron/core/match/labels';
import { evaluateVectors } from '../electron/core/match/evaluate';
async function main() {
  const m = onnx.ModelProto.decode(fs.readFileSync('/work/shared/models/mobilenetv2-12-int8.onnx'));
  const g = m.graph!;
  g.node.push(onnx.NodeProto.create({ opType: 'DequantizeLinear', input: ['464_quantized', '464_scale', '464_zero_point'], output: ['feat4'] }));
  g.node.push(onnx.NodeProto.create({ opType: 'Flatten', input: ['feat4'], output: ['feat'] }));
  g.output = [onnx.ValueInfoProto.create({ name: 'feat', type: { tensorType: { elemType: 1 } } })];
  const s = await ort.InferenceSession.create(onnx.ModelProto.encode(m).finish(), { intraOpNumThreads: 1 });
  const ds = process.argv[2];
  const items = readLabels(ds);
  const vecs = new Float32Array(items.length * 1280);
  const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
  for (let i = 0; i < items.length; i++) {
    const px = await sharp(items[i].file).rotate().resize(224, 224, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    const x = new Float32Array(3 * 224 * 224);
    for (let p = 0; p < 224 * 224; p++) for (let c = 0; c < 3; c++) x[c * 224 * 224 + p] = (px[p * 3 + c] / 255 - mean[c]) / std[c];
    const out = await s.run({ input: new ort.Tensor('float32', x, [1, 3, 224, 224]) });
    vecs.set(out.feat.data as Float32Array, i * 1280);
  }
  fs.writeFileSync(process.argv[3], Buffer.from(vecs.buffer));
  console.log('best', evaluateVectors(items, vecs, 1280, 'best'));
  const { ranks: _r, ...mean2 } = evaluateVectors(items, vecs, 1280, 'mean2');
  console.log('mean2', mean2);
}
main();
