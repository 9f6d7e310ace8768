import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { tempDir } from './corpus.js';

const { onnx } = onnxProto;
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];

/**
 * Write a tiny BERT-shaped sentence encoder as transformers.js loads one:
 * onnx/model.onnx (input_ids, attention_mask, token_type_ids →
 * last_hidden_state, one embedding row a token, through a real ONNX Gather),
 * config.json, and a WordPiece tokenizer.json. Each group of `synonyms`
 * shares one direction, every other word has its own, and the special tokens
 * are zero, so a text's mean-pooled vector is its words' mean: texts made of
 * synonyms get the same vector. Returns the model folder.
 */
export function writeTinyEncoder(synonyms: readonly (readonly string[])[], otherWords: readonly string[]): string {
  const dir = join(tempDir(), 'tiny-encoder');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const words = [...SPECIAL, ...synonyms.flat(), ...otherWords];
  const dims = synonyms.length + otherWords.length;
  const embeddings = new Float32Array(words.length * dims);
  synonyms.forEach((group, g) => group.forEach((word) => (embeddings[words.indexOf(word) * dims + g] = 1)));
  otherWords.forEach((word, i) => (embeddings[words.indexOf(word) * dims + synonyms.length + i] = 1));
  const int64Input = (name: string) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }] } } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'paperbot-tests',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny-bert',
      node: [{ opType: 'Gather', name: 'embed', input: ['embeddings', 'input_ids'], output: ['last_hidden_state'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }],
      initializer: [{ name: 'embeddings', dataType: onnx.TensorProto.DataType.FLOAT, dims: [words.length, dims], rawData: new Uint8Array(embeddings.buffer) }],
      input: [int64Input('input_ids'), int64Input('attention_mask'), int64Input('token_type_ids')],
      output: [{ name: 'last_hidden_state', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }, { dimValue: dims }] } } } }],
    },
  });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnx.ModelProto.encode(model).finish());
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: dims, vocab_size: words.length }));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]' }));
  const special = (content: string) => ({ id: words.indexOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIAL.map(special),
      normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
        pair: [],
        special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(words.map((w, i) => [w, i])) },
    }),
  );
  return dir;
}
