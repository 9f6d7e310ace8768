import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { seedPapers, tempDir, writeCorpus } from '../support/corpus.js';
import { readPng } from '../support/png.js';

const BIN = resolve(import.meta.dirname, '../../src/cli/paperbot.mjs');

/** Run the real `paperbot` command in a child process, with its own data folder. */
function paperbot(args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, PAPERBOT_DATA_DIR: join(tempDir(), 'data'), PAPERBOT_ENV_FILE: join(tempDir(), 'none.env'), NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('paperbot ask', () => {
  it('GIVEN a question THEN prints the best papers with authors, venue, links and the marked answer', () => {
    const { code, stdout, stderr } = paperbot(['ask', 'How can diffusion models run on a phone?']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const first = stdout.split('\n\n')[0]!;
    expect(first).toMatch(/^1\. SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds$/m);
    expect(first).toMatch(/Yanyu Li, Huan Wang, Qing Jin et al\. · 2023 · NeurIPS 2023/);
    expect(first).toMatch(/\*\*diffusion\*\* \*\*models\*\*/);
    expect(first).toMatch(/arXiv https:\/\/arxiv\.org\/abs\/2306\.00980 · PDF https:\/\/arxiv\.org\/pdf\/2306\.00980/);
  });

  it('GIVEN a question THEN says which words matched as the paper writes them, without the raw BM25 score', () => {
    const { stdout } = paperbot(['ask', 'How can diffusion models run on a phone?']);
    const first = stdout.split('\n\n')[0]!;
    expect(first).toMatch(/^ {3}matched: diffusion, models, run$/m);
    expect(stdout).not.toMatch(/\bscore\b|diffus,/);
  });

  it('GIVEN an author\'s name THEN the card marks that author and says the match came from the authors', () => {
    const { stdout } = paperbot(['ask', 'What did Yanyu Li work on?']);
    const cards = stdout.split('\n\n');
    expect(cards.length).toBeGreaterThanOrEqual(2);
    for (const card of cards) {
      expect(card).toMatch(/^ {3}\*\*Yanyu Li\*\*, /m);
      expect(card).toMatch(/ · by Yanyu Li$|^ {3}by Yanyu Li$/m);
    }
    expect(stdout).not.toMatch(/SupeRBNN/);
  });

  it('GIVEN a terminal width THEN wraps every line to it, continued under a hanging indent', () => {
    const { stdout } = paperbot(['ask', 'How can diffusion models run on a phone?'], { COLUMNS: '60' });
    const lines = stdout.split('\n');
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    const card = stdout.split('\n\n')[0]!.split('\n');
    expect(card[0]).toBe('1. SnapFusion: Text-to-Image Diffusion Model on Mobile');
    expect(card[1]).toBe('   Devices within Two Seconds');
    expect(card.slice(1).filter((l) => l !== '' && !l.startsWith('   '))).toEqual([]);
  });

  it('GIVEN a long question nothing matches THEN the no-match line cuts the echoed question', () => {
    const question = Array.from({ length: 60 }, () => 'pizza').join(' ');
    const { stdout } = paperbot(['ask', question]);
    const [line] = stdout.split('\n');
    expect(line).toMatch(/^No paper in the corpus \(10 papers\) really matches "pizza pizza .*…"\.$/);
    expect(line!.length).toBeLessThan(140);
  });

  it('GIVEN --json THEN prints one JSON object in the documented shape', () => {
    const { code, stdout } = paperbot(['ask', '--json', '--top', '2', 'which paper makes ViTs as fast as MobileNet?']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.query).toBe('which paper makes ViTs as fast as MobileNet?');
    expect(json.results.length).toBeGreaterThanOrEqual(1);
    expect(json.results.length).toBeLessThanOrEqual(2);
    expect(json.results[0]).toMatchObject({
      id: '2212.08059',
      title: 'Rethinking Vision Transformers for MobileNet Size and Speed',
      year: 2022,
      venue: 'ICCV 2023',
      url: 'https://arxiv.org/abs/2212.08059',
      pdf: 'https://arxiv.org/pdf/2212.08059',
      code: 'https://github.com/snap-research/EfficientFormer',
    });
    expect(json.results[0].matchedTerms).toEqual(expect.arrayContaining(['vit', 'mobilenet']));
    expect(json.results[0].answer).toMatch(/MobileNet/);
    expect(typeof json.results[0].score).toBe('number');
  });

  it('GIVEN a question nothing matches THEN says so plainly, with an empty JSON result', () => {
    const text = paperbot(['ask', 'best pizza in Naples']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^No paper in the corpus \(10 papers\) really matches "best pizza in Naples"\./);
    expect(JSON.parse(paperbot(['ask', '--json', 'best pizza in Naples']).stdout)).toEqual({
      query: 'best pizza in Naples',
      via: 'search',
      results: [],
    });
  });

  it('GIVEN paperbot similar with a title or an id THEN the papers nearest it, with what they share; --json gives the paper and them; an unknown one exits 2', () => {
    const text = paperbot(['similar', 'snapfusion', '--top', '2'], { NO_COLOR: '1' });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Papers like SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds \(2306\.00980, 2023\):\n\n1\. Rethinking Vision Transformers for MobileNet Size and Speed\n/);
    expect(text.stdout).toMatch(/^ {3}shares: mobile, run, devices/m);
    expect(text.stdout).not.toMatch(/^\d\. SnapFusion/m);
    const json = JSON.parse(paperbot(['similar', '2306.00980', '--json', '--top', '3']).stdout);
    expect(json.paper.id).toBe('2306.00980');
    expect(json.via).toBe('similar');
    expect(json.results.map((r: { id: string }) => r.id)).toHaveLength(3);
    expect(json.results.map((r: { id: string }) => r.id)).not.toContain('2306.00980');
    const unknown = paperbot(['similar', 'pizza ovens of Naples']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('paperbot: no paper in the library has the id or title "pizza ovens of Naples"\n');
  });

  it('GIVEN paperbot cite with a title, or --ids THEN entries a BibTeX parser reads back, in order; RIS and APA on demand; bad input exits 2 naming it', () => {
    const one = paperbot(['cite', 'snapfusion']);
    expect(one.code).toBe(0);
    const [entry] = parse(one.stdout).entries;
    expect(entry).toMatchObject({ type: 'article', key: 'li2023snapfusion', fields: { eprint: '2306.00980', archiveprefix: 'arXiv', year: '2023', month: '6', journal: 'NeurIPS 2023' } });
    const several = parse(paperbot(['cite', '--ids', '2212.08059, 2306.00980v2']).stdout).entries;
    expect(several.map((e) => e.fields.eprint)).toEqual(['2212.08059', '2306.00980']);
    expect(paperbot(['cite', '2306.00980', '--format', 'RIS']).stdout).toMatch(/^TY {2}- JOUR\n/);
    expect(paperbot(['cite', '2306.00980', '--format', 'apa']).stdout).toMatch(/^Li, Y\., Wang, H\., .* \(2023\)\. SnapFusion/);
    expect(JSON.parse(paperbot(['cite', '--ids', '2306.00980', '--json']).stdout)).toMatchObject({ format: 'bibtex', entries: [{ id: '2306.00980', key: 'li2023snapfusion' }] });
  });

  it('GIVEN paperbot author with initials THEN the matching names, co-authors, categories and papers; --json gives them as data', () => {
    const text = paperbot(['author', 'Y. Wang', '--top', '2'], { NO_COLOR: '1' });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^“Y\. Wang”: 10 papers\nOne name can be several people/);
    expect(text.stdout).toMatch(/^Names matched: Yanzhi Wang \(10\), /m);
    expect(text.stdout).toMatch(/^1\. SupeRBNN: .* \(2023\) https:\/\/arxiv\.org\/abs\/2309\.12212$/m);
    expect(text.stdout).toMatch(/^… and 8 more \(--top N\)$/m);
    const json = JSON.parse(paperbot(['author', 'yanzhi wang', '--json']).stdout);
    expect(json).toMatchObject({ query: 'yanzhi wang', total: 10, names: [{ name: 'Yanzhi Wang', papers: 10 }] });
    expect(json.papers).toHaveLength(10);
  });

  it.each([
    [['ask'], /^paperbot: the question is empty/],
    [['ask', '   '], /^paperbot: the question is empty/],
    [['ask', '--frobnicate', 'x'], /^paperbot: unknown option --frobnicate for ask \(it takes --json, --help, --corpus, --top, --since, --category\)/],
    [['ask', '--since', 'last year', 'x'], /^paperbot: --since must be a year such as 2023, not "last year"/],
    [['ask', '--category', 'computer vision', 'x'], /^paperbot: --category must be an arXiv category such as cs.CV or cs/],
    [['ask', '--since', '2999', 'x'], new RegExp(`^paperbot: --since 2999 is in the future: it is ${new Date().getUTCFullYear()}`)],
    [['ask', '--category', 'cs.XX', 'x'], /^paperbot: --category "cs.XX": no paper in the library is in that category \(they are in cs.CV, cs.LG, cs.CL, cs.CY\)\n/],
    [['cite', '--ids', '2306.00980,2999.11111,2999.22222'], /^paperbot: no paper in the library has the ids 2999\.11111, 2999\.22222\n/],
    [['cite', '2306.00980', '--format', 'docx'], /^paperbot: --format must be one of bibtex, ris, apa, not "docx"\n/],
    [['cite', 'x', '--ids', '2306.00980'], /^paperbot: cite takes a paper or --ids, not both\n/],
    [['cite'], /^paperbot: which paper\? paperbot cite <arXiv id> \| "<title>", or --ids ID,ID\n/],
    [['similar'], /^paperbot: which paper\? paperbot similar/],
    [['author', 'Ada Lovelace'], /^paperbot: no author in the library is called "Ada Lovelace"\n/],
    [['ask', '--top', '0', 'x'], /^paperbot: --top must be a whole number from 1 to 100, not "0"/],
    [['ask', '--top'], /^paperbot: option --top needs a value/],
    [['ask', '--corpus', '/nonexistent/corpus', 'x'], /^paperbot: corpus folder \/nonexistent\/corpus does not exist/],
    [['fly'], /^paperbot: unknown command "fly"/],
    [['stats', 'extra'], /^paperbot: stats takes no arguments/],
    [['eval'], /^paperbot: eval needs --questions FILE/],
    [['eval', '--questions', '/nonexistent.tsv'], /^paperbot: cannot read the questions file \/nonexistent\.tsv/],
  ])('GIVEN %j THEN prints one clear line and exits 2', (args, message) => {
    const { code, stdout, stderr } = paperbot(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('GIVEN a corpus with a broken line THEN names file, line and field', () => {
    const [a, b] = seedPapers();
    const dir = writeCorpus([a!, { ...b!, year: 'soon' } as never]);
    const { code, stderr } = paperbot(['ask', '--corpus', dir, 'anything']);
    expect(code).toBe(2);
    expect(stderr).toBe(`paperbot: ${join(dir, 'papers.jsonl')}:2: field "year": expected number, received string\n`);
  });

  it('GIVEN PAPERBOT_CORPUS in the .env file THEN reads that corpus, and the environment wins over the file', () => {
    const dir = writeCorpus([seedPapers()[7]!]);
    const envFile = join(tempDir(), 'paperbot.env');
    writeFileSync(envFile, `PAPERBOT_CORPUS=${dir}\n`);
    const fromFile = JSON.parse(paperbot(['ask', '--json', 'pruning'], { PAPERBOT_ENV_FILE: envFile }).stdout);
    expect(fromFile.results.map((r: { id: string }) => r.id)).toEqual(['2210.04092']);
    const overridden = paperbot(['stats', '--json'], { PAPERBOT_ENV_FILE: envFile, PAPERBOT_CORPUS: resolve(import.meta.dirname, '../../corpus') });
    expect(JSON.parse(overridden.stdout).papers).toBe(10);
  });

  it('GIVEN PAPERBOT_CORPUS THEN reads that corpus', () => {
    const dir = writeCorpus([seedPapers()[7]!]);
    const json = JSON.parse(paperbot(['ask', '--json', 'pruning'], { PAPERBOT_CORPUS: dir }).stdout);
    expect(json.results.map((r: { id: string }) => r.id)).toEqual(['2210.04092']);
  });
});

describe('control characters', () => {
  it('GIVEN a corpus record and a question holding ESC, BEL and C1 controls THEN none reaches the terminal', () => {
    const paper = { ...seedPapers()[0]!, title: 'SnapFusion \u001b[2J\u001b]0;pwned\u0007 on phones\u009b', abstract: `${seedPapers()[0]!.abstract} \u001b[31mred\u001b[0m` };
    const dir = writeCorpus([paper]);
    for (const args of [['ask', '--corpus', dir, 'snapfusion phones \u001b[2J'], ['paper', '--corpus', dir, 'snapfusion'], ['ask', '--corpus', dir, 'pizza \u0007\u001b[2J']]) {
      const { code, stdout } = paperbot(args);
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
  });
});

describe('paperbot with no command', () => {
  it('GIVEN no arguments THEN prints the usage and exits 0', () => {
    const { code, stdout } = paperbot([]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: paperbot <command> \[options\]/);
  });
});

describe('the question from standard input', () => {
  it('GIVEN a question piped in, with no argument or with "-" THEN answers it as if it were the argument', () => {
    const piped = paperbot(['ask', '--json'], {}, 'How can diffusion models run on a phone?\n');
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ query: 'How can diffusion models run on a phone?', results: [{ id: '2306.00980' }] });
    const dash = paperbot(['paper', '--json', '-'], {}, 'snapfusion');
    expect(JSON.parse(dash.stdout).results[0].id).toBe('2306.00980');
  });

  it('GIVEN nothing piped or too much THEN one clear line and exit 2', () => {
    expect(paperbot(['ask'], {}, '')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^paperbot: the question is empty/) });
    expect(paperbot(['ask', '-'], {}, 'x'.repeat(70_000))).toMatchObject({ code: 2, stderr: 'paperbot: the question on standard input is longer than 64 KiB\n' });
  });
});

describe('--help', () => {
  it.each(['ask', 'paper', 'stats', 'eval', 'export'])('GIVEN %s --help THEN prints that command\'s usage and exits 0', (name) => {
    const { code, stdout, stderr } = paperbot([name, '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: paperbot ${name} `));
    expect(stdout).not.toMatch(/^Commands:/m);
  });
});

describe('a question in another language', () => {
  it.each(['comment faire tourner un modèle de diffusion sur un téléphone', '如何在手机上运行扩散模型', 'Wie kann man Diffusionsmodelle auf einem Handy ausführen?'])('GIVEN %j THEN hints that the corpus is English', (question) => {
    const { code, stdout } = paperbot(['ask', question]);
    expect(code).toBe(0);
    expect(stdout).toContain("The papers' abstracts are in English: a question in English finds more.");
  });

  it('GIVEN an English question, with names and "et al." THEN no hint', () => {
    for (const question of ['How can diffusion models run on a phone?', 'Das et al. on pruning', 'vision transformers']) {
      expect(paperbot(['ask', question]).stdout).not.toContain('in English');
    }
  });
});

describe('paperbot paper', () => {
  it.each([
    ['snapfusion', '2306.00980'],
    ['Advancing Model Prunning via Bilevel Optimisation', '2210.04092'],
    ['EfficientFormerV2', '2212.08059'],
    ['rethinking vision trans', '2212.08059'],
    ['2306.00980', '2306.00980'],
    ['https://arxiv.org/abs/2212.08059v2', '2212.08059'],
  ])('GIVEN %j THEN finds %s first', (query, id) => {
    const { code, stdout } = paperbot(['paper', '--json', query]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).results[0].id).toBe(id);
  });

  it('GIVEN a title as text THEN prints the full card, as /paper shows it: every author, the whole abstract, categories, links', () => {
    const { stdout } = paperbot(['paper', 'DualHSIC']);
    const seed = seedPapers().find((p) => p.id === '2305.00380')!;
    const [card] = stdout.split('\nAlso matching:');
    expect(card).toMatch(/^DualHSIC: HSIC-Bottleneck and Alignment for Continual Learning$/m);
    expect(card).toContain(`   ${seed.authors.join(', ')}\n`);
    expect(card).toMatch(new RegExp(`^ {3}${seed.year} · .*${seed.categories.join(', ').replace(/\./g, '\\.')} · arXiv:2305\.00380$`, 'm'));
    expect(card).toContain(seed.abstract.replace(/\s+/g, ' ').trim().slice(-120));
    expect(card).toMatch(/code https:\/\/github\.com\/zhanzheng8585\/DualHSIC/);
  });

  it('GIVEN an arXiv id or URL THEN the card of that paper; --json carries the abstract, every author and the categories', () => {
    const text = paperbot(['paper', 'https://arxiv.org/abs/2212.08059v2']).stdout;
    expect(text).toMatch(/^Rethinking Vision Transformers for MobileNet Size and Speed$/m);
    expect(text).toMatch(/properly designed and optimized vision transformers can achieve high performance even with MobileNet-level size and speed\.$/m);
    const [result] = JSON.parse(paperbot(['paper', '--json', '2212.08059']).stdout).results;
    const seed = seedPapers().find((p) => p.id === '2212.08059')!;
    expect(result).toMatchObject({ id: '2212.08059', authors: seed.authors, categories: seed.categories });
    expect(result.abstract).toBe(seed.abstract.replace(/\s+/g, ' ').trim());
  });
});

describe('paperbot stats', () => {
  it('GIVEN the shipped corpus THEN prints papers, years, categories, index size and build time', { timeout: 30_000 }, () => {
    const dataDir = join(tempDir(), 'data');
    const first = JSON.parse(paperbot(['stats', '--json'], { PAPERBOT_DATA_DIR: dataDir }).stdout);
    expect(first).toMatchObject({
      papers: 10,
      engine: 'impact',
      years: { min: 2022, max: 2023, counts: { '2022': 6, '2023': 4 } },
      topCategories: [
        { category: 'cs.CV', papers: 4 },
        { category: 'cs.LG', papers: 3 },
        { category: 'cs.CY', papers: 1 },
      ],
      indexReused: false,
    });
    expect(first.indexBytes).toBeGreaterThan(1000);
    expect(first.library).toMatch(/libraries\/corpus-[0-9a-f]{12}\.sqlite$/);
    expect(JSON.parse(paperbot(['stats', '--json'], { PAPERBOT_DATA_DIR: join(tempDir(), 'data'), PAPERBOT_ENGINE: 'wink' }).stdout).engine).toBe('wink');
    expect(Date.parse(first.indexBuiltAt)).toBeGreaterThan(Date.now() - 120_000);
    const second = JSON.parse(paperbot(['stats', '--json'], { PAPERBOT_DATA_DIR: dataDir }).stdout);
    expect(second.indexReused).toBe(true);
    expect(second.indexBuiltAt).toBe(first.indexBuiltAt);
    const text = paperbot(['stats'], { PAPERBOT_DATA_DIR: dataDir }).stdout;
    expect(text).toMatch(/^Papers +10$/m);
    expect(text).toMatch(/^Built .*loaded from disk/m);
  });
});

describe('paperbot eval', () => {
  it('GIVEN a small BEIR folder THEN prints nDCG@10 and Recall@100 as trec_eval would', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'qrels'));
    const docs = [
      { _id: 'd1', title: 'Coffee and sleep', text: 'Caffeine delays sleep onset in adults.' },
      { _id: 'd2', title: 'Tea', text: 'Green tea contains caffeine and theanine.' },
      { _id: 'd3', title: 'Running', text: 'Endurance running improves heart health.' },
    ];
    writeFileSync(join(dir, 'corpus.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n'));
    writeFileSync(join(dir, 'queries.jsonl'), [{ _id: 'q1', text: 'caffeine sleep' }, { _id: 'q2', text: 'heart running' }, { _id: 'q3', text: 'unicorns' }].map((q) => JSON.stringify(q)).join('\n'));
    // q1: d1 (grade 2) ranks first, d2 (grade 1) second: ideal. q2: d3 first. q3: nothing found, scores 0.
    writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\r\nq1\td1\t2\r\nq1\td2\t1\r\nq2\td3\t1\r\nq3\td2\t1\r\n');
    const { code, stdout } = paperbot(['eval', '--json', '--beir', dir]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ 'ndcg@10': 0.6667, 'recall@100': 0.6667, queries: 3, docs: 3 });
  });

  it('GIVEN a folder that is not BEIR THEN says which file is missing', () => {
    const { code, stderr } = paperbot(['eval', '--beir', tempDir()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^paperbot: cannot read .*corpus\.jsonl \(a BEIR folder holds corpus\.jsonl, queries\.jsonl and qrels\/test\.tsv\)/);
  });
});

describe('paperbot eval --questions', () => {
  it('GIVEN a questions file with labels THEN prints top-1, top-10, MRR@10, empty answers and latency, in total and per label', () => {
    const file = join(tempDir(), 'questions.tsv');
    writeFileSync(
      file,
      [
        '# question\tarxiv id\tlabel',
        'How can diffusion models run on a phone?\t2306.00980\tnatural',
        'which paper makes ViTs as fast as MobileNet?\t2212.08059\tnatural',
        'best pizza in Naples\t2306.00980\tparaphrase',
        'vision transformers\t2211.01484\tparaphrase',
        '',
      ].join('\n'),
    );
    const { code, stdout } = paperbot(['eval', '--json', '--questions', file]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['questions', 'top1', 'top10', 'mrr10', 'empty', 'p50Ms', 'p99Ms', 'byLabel']);
    expect(report).toMatchObject({ questions: 4, top10: 0.75, empty: 1 });
    expect(report.byLabel.natural).toEqual({ questions: 2, top1: 1, top10: 1, mrr10: 1, empty: 0 });
    expect(report.byLabel.paraphrase).toMatchObject({ questions: 2, top1: expect.any(Number), empty: 1 });
    expect(report.top1).toBeCloseTo((2 + report.byLabel.paraphrase.top1 * 2) / 4, 4);
    expect(report.p99Ms).toBeGreaterThanOrEqual(report.p50Ms);
    const text = paperbot(['eval', '--questions', file]).stdout;
    expect(text).toMatch(/^natural +2 +100\.0% +100\.0% +1\.000 +0$/m);
    expect(text).toMatch(/^all +4 /m);
  });

  it('GIVEN a malformed line THEN names file and line', () => {
    const file = join(tempDir(), 'questions.tsv');
    writeFileSync(file, 'a question\t2306.00980\nno id here\n');
    const { code, stderr } = paperbot(['eval', '--questions', file]);
    expect(code).toBe(2);
    expect(stderr).toBe(`paperbot: ${file}:2: expected "question<TAB>arxiv id[<TAB>label]"\n`);
  });
});

describe('paperbot export', () => {
  it('GIVEN the library THEN prints every paper as a corpus line; GIVEN --out THEN writes the file', () => {
    const dataDir = join(tempDir(), 'data');
    const { code, stdout } = paperbot(['export'], { PAPERBOT_DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(seedPapers());
    const out = join(tempDir(), 'export.jsonl');
    expect(paperbot(['export', '--out', out], { PAPERBOT_DATA_DIR: dataDir }).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(stdout);
  });
});


describe('paperbot trend', () => {
  it('GIVEN a topic THEN a text chart a month; --out draws the PNG atomically, --json gives the buckets and the file', () => {
    const text = paperbot(['trend', 'vision transformers']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Papers on “vision transformers”, per month\n4 of 8 papers \(50%\) hold every word of the topic, 2022-11 to 2023-09 · peak 2022-11 \(2\)\n/);
    expect(text.stdout).toMatch(/^2022-11 {6}2 {3}66\.67% {2}█{40}$/m);

    const dir = tempDir();
    const out = join(dir, 'chart.png');
    const drawn = paperbot(['trend', 'vision transformers', '--since', '2022', '--out', out]);
    expect(drawn.stderr).toBe('');
    expect(drawn.stdout).toMatch(new RegExp(`\\nChart: ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(1000×500 PNG, \\d+ KB\\)\\n$`));
    readPng(readFileSync(out), 1000, 500);
    expect(readdirSync(dir)).toEqual(['chart.png']);

    const json = JSON.parse(paperbot(['trend', 'vision transformers', '--json', '--out', join(dir, 'chart.svg')]).stdout);
    expect(json).toMatchObject({ topic: 'vision transformers', terms: ['vision', 'transform'], granularity: 'month', papers: 4, chart: { format: 'svg', width: 1000, height: 500 } });
    expect(json.buckets[0]).toEqual({ label: '2022-11', papers: 2, total: 3, share: 2 / 3, partial: false });
    expect(readFileSync(join(dir, 'chart.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it('GIVEN no match, a future since, a bad --out or no topic THEN exit 2 with one line saying which, and no file', () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['trend', 'pizza ovens'], /^paperbot: No paper matches "pizza ovens": no paper holds "pizza", "oven"\. Try other words\.\n$/],
      [['trend', 'diffusion', '--since', '2099'], /^paperbot: --since 2099 is in the future: it is \d{4}\n$/],
      [['trend', 'diffusion', '--out', join(dir, 'chart.jpg')], /^paperbot: --out .*chart\.jpg: the chart is written as \.png or \.svg; name the file so\n$/],
      [['trend'], /^paperbot: which topic\? paperbot trend "<topic>"\n$/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = paperbot(args);
      expect([code, stderr]).toEqual([2, expect.stringMatching(message)]);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('paperbot list', () => {
  it('GIVEN add, show, export and remove THEN a local list kept in the data folder, names ignoring case; errors exit 2 naming the list or action', () => {
    const env = { PAPERBOT_DATA_DIR: join(tempDir(), 'data') };
    expect(paperbot(['list'], env).stdout).toBe('No lists yet: paperbot list add "<name>" <arXiv id> makes one.\n');
    expect(paperbot(['list', 'add', 'This week', '2306.00980'], env).stdout).toBe('Added “SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds” to “This week” (1 paper).\n');
    expect(paperbot(['list', 'add', 'this week', 'rethinking vision transformers'], env).code).toBe(0);
    expect(paperbot(['list', 'add', 'THIS WEEK', '2306.00980'], env).stdout).toMatch(/is already on “This week” \(2 papers\)\.\n$/);
    expect(paperbot(['list', 'show', 'this week'], env).stdout).toBe(
      'This week: 2 papers\n1. SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds (2023) https://arxiv.org/abs/2306.00980\n2. Rethinking Vision Transformers for MobileNet Size and Speed (2022) https://arxiv.org/abs/2212.08059\n',
    );
    expect(JSON.parse(paperbot(['list', '--json'], env).stdout)).toEqual({ lists: [{ name: 'This week', papers: 2, updatedAt: expect.any(Number) }] });
    const bib = paperbot(['list', 'export', 'this week'], env).stdout;
    expect(parse(bib).entries.map((e) => e.key)).toEqual(['li2023snapfusion', 'li2022rethinking']);
    const out = join(tempDir(), 'reading.ris');
    expect(paperbot(['list', 'export', 'this week', '--format', 'ris', '--out', out], env).stdout).toBe(`Wrote 2 entries of “This week” to ${out}.\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/^TY {2}- JOUR\n/);
    expect(paperbot(['list', 'remove', 'this week', '2306.00980'], env).stdout).toMatch(/^Removed “SnapFusion.+” from “This week” \(1 paper\)\.\n$/);

    for (const [args, message] of [
      [['list', 'show', 'nope'], 'paperbot: there is no list "nope" here (there are "This week")\n'],
      [['list', 'frob', 'x'], 'paperbot: list frob: the actions are add, remove, show, export\n'],
      [['list', 'add', 'x'], 'paperbot: which paper? paperbot list add "x" <arXiv id> | "<title>"\n'],
      [['list', 'add', 'x', 'pizza ovens of Naples'], 'paperbot: no paper in the library has the id or title "pizza ovens of Naples"\n'],
      [['list', 'export', 'this week', '--format', 'pdf'], 'paperbot: --format must be one of bibtex, ris, apa, not "pdf"\n'],
    ] as const) {
      expect(paperbot([...args], env)).toMatchObject({ code: 2, stderr: message });
    }
  }, 60_000);
});
