import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

/** Turns texts into unit-length vectors, one a text, in the order given. */
export interface Encoder {
  /** The model's name as configured (a Hugging Face id or a folder). */
  readonly model: string;
  encode(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * A transformers.js encoder of an ONNX sentence-embedding model
 * (PAPERBOT_EMBEDDING_MODEL): a local folder (config.json, tokenizer.json,
 * onnx/model.onnx) is read with downloads turned off; a Hugging Face id
 * (e.g. Xenova/bge-small-en-v1.5) is downloaded once into `cacheDir`.
 * Vectors are the mean of the token vectors, normalised.
 */
export async function openEncoder(model: string, cacheDir: string): Promise<Encoder> {
  // Imported only when a model is configured: PaperBot without one never loads onnxruntime.
  const { env, pipeline } = await import('@huggingface/transformers');
  const folder = resolve(model);
  const local = existsSync(folder) && statSync(folder).isDirectory();
  if (local) {
    if (!existsSync(join(folder, 'onnx', 'model.onnx'))) {
      throw new UserError('bad_env', `PAPERBOT_EMBEDDING_MODEL ${folder} holds no onnx/model.onnx (a transformers.js model folder: config.json, tokenizer.json, onnx/model.onnx)`);
    }
    env.allowRemoteModels = false;
    env.localModelPath = `${dirname(folder)}/`;
  } else {
    env.allowRemoteModels = true;
    env.cacheDir = cacheDir;
  }
  let extract;
  try {
    extract = await pipeline('feature-extraction', local ? basename(folder) : model, { dtype: 'fp32' });
  } catch (err) {
    throw new UserError('bad_env', `PAPERBOT_EMBEDDING_MODEL "${model}" cannot be loaded (${(err as Error).message})`);
  }
  return {
    model,
    async encode(texts) {
      if (texts.length === 0) return [];
      const output = await extract([...texts], { pooling: 'mean', normalize: true });
      const [rows, dims] = output.dims as [number, number];
      const data = output.data as Float32Array;
      return Array.from({ length: rows }, (_, i) => data.slice(i * dims, (i + 1) * dims));
    },
  };
}
