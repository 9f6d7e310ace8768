// Bring the index of a corpus's library up to date and save it, in its own
// process (LiveSearch runs this so that indexing never stalls the bot):
// prepareIndex.ts CORPUS DATA, with PAPERBOT_ENGINE naming the engine.
import { UserError } from '../errors.js';
import { openSearch, unsavedIndexParts } from './openSearch.js';

const [corpusDir, dataDir] = process.argv.slice(2);
try {
  const search = openSearch({ corpusDir: corpusDir!, dataDir: dataDir!, engine: process.env.PAPERBOT_ENGINE || undefined, loadTitles: true });
  search.library.close();
  // The bot loads only what is saved: an index that could not be saved (a full disk) is a failure here, not a success.
  const unsaved = unsavedIndexParts(search.info);
  if (unsaved.length > 0) throw new UserError('index_unsaved', unsaved.join('; '));
  process.stdout.write(`${JSON.stringify({ papers: search.size, actions: search.info.actions })}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof UserError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
}
