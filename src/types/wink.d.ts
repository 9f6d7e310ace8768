// Types for the two wink packages PaperBot uses; neither ships its own.

declare module 'wink-porter2-stemmer' {
  /** Porter2 (Snowball English) stem of one lower-case word. */
  export default function stem(word: string): string;
}

declare module 'wink-bm25-text-search' {
  namespace bm25 {
    type PrepTask = (input: any) => any;
    interface Config {
      fldWeights: Record<string, number>;
      bm25Params?: { k1?: number; b?: number; k?: number };
      ovFldNames?: string[];
    }
    interface Document {
      /** Per term index: the precomputed BM25 contribution after consolidate(). */
      freq: Record<number, number>;
      fieldValues: Record<string, unknown>;
      length: number;
    }
    interface Engine {
      defineConfig(config: Config): boolean;
      definePrepTasks(tasks: PrepTask[], field?: string): number;
      addDoc(doc: Record<string, string>, id: number | string): number;
      consolidate(freqPrecision?: number): boolean;
      search(text: string, limit?: number, filter?: unknown, params?: unknown): [string, number][];
      getDocs(): Record<string, Document>;
      getTokens(): Record<string, number>;
      getIDF(): number[];
      getConfig(): Config;
      getTotalDocs(): number;
      exportJSON(): string;
      importJSON(json: string): boolean;
    }
  }
  function bm25(): bm25.Engine;
  export = bm25;
}
