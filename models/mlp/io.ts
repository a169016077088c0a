// model.json + weights.bin on the local disk, the same layout tfjs-node's file:// handler writes,
// without needing tfjs-node. The MlpMeta travels in model.json's userDefinedMetadata.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tf, tfl } from './tf';
import { MlpModel, type MlpMeta } from './model';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export async function saveMlp(model: MlpModel, dir: string): Promise<{ modelJson: string; weightsBin: string }> {
  await mkdir(dir, { recursive: true });
  const modelJson = path.join(dir, MODEL_JSON);
  const weightsBin = path.join(dir, WEIGHTS_BIN);
  await model.net.save(
    tf.io.withSaveHandler(async (a) => {
      const weights = a.weightData === undefined ? new ArrayBuffer(0) : new tf.io.CompositeArrayBuffer(a.weightData).slice();
      const json = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: a.weightSpecs }],
        userDefinedMetadata: model.meta,
      };
      await writeAtomic(weightsBin, Buffer.from(weights));
      await writeAtomic(modelJson, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  return { modelJson, weightsBin };
}

export async function loadMlp(dir: string): Promise<MlpModel> {
  const json = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8'));
  const manifest = json.weightsManifest as Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  const buffers: Buffer[] = [];
  for (const group of manifest) for (const p of group.paths) buffers.push(await readFile(path.join(dir, p)));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const net = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: manifest.flatMap((g) => g.weights),
      weightData,
    }),
  );
  const meta = json.userDefinedMetadata as MlpMeta;
  if (meta?.format !== 'trainflow.mlp/v1') throw new Error(`${dir}/${MODEL_JSON}: not a Trainflow MLP (no scaler metadata)`);
  return new MlpModel(net, meta);
}

async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}
