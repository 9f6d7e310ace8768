// Build and save the index of a corpus, in its own process (LiveIndex runs
// this so that a long build never stalls the bot): prepareIndex.ts CORPUS DATA
import { UserError } from '../errors.js';
import { openPaperIndex } from './openIndex.js';

const [corpusDir, dataDir] = process.argv.slice(2);
try {
  const index = openPaperIndex({ corpusDir: corpusDir!, dataDir: dataDir! });
  process.stdout.write(`${JSON.stringify({ papers: index.corpus.papers.length, reused: index.build.reused })}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof UserError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
}
