// Display and indexing normalisation of arXiv text. Stored records keep the
// source's raw text; everything shown or indexed goes through normalizeText.

const COMMANDS_KEEPING_ARGUMENT =
  /\\(?:textbf|textit|textrm|textsf|texttt|emph|underline|mathrm|mathbf|mathit|mathcal|mathbb|mathsf|mathtt|operatorname|text|mbox|boldsymbol|bm)\s*\{([^{}]*)\}/g;

const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ',
  sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  ell: 'ℓ', infty: '∞', times: '×', cdot: '·', pm: '±', approx: '≈', sim: '~', leq: '≤', le: '≤',
  geq: '≥', ge: '≥', neq: '≠', ne: '≠', to: '→', rightarrow: '→', leftarrow: '←', log: 'log', ln: 'ln',
  in: '∈', sqrt: '√', partial: '∂', nabla: '∇', sum: 'Σ', prod: 'Π', ldots: '…', dots: '…', cdots: '⋯',
};

// TeX accent commands and the combining mark each stands for.
const ACCENTS: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030c', H: '\u030b', c: '\u0327', k: '\u0328',
};

/**
 * Readable plain text from arXiv title or abstract text: collapses hard wraps
 * and runs of spaces, unwraps `\textbf{MuE}`, unescapes `50\%`, drops the `$`
 * of inline maths (`$2$` → 2, `$\ell_\infty$` → ℓ∞) and turns TeX accents into
 * letters (`Bal\'azs` → Balázs).
 */
export function normalizeText(raw: string): string {
  if (!/[\\$`~{}\s\x00-\x1f\x7f-\x9f]/.test(raw)) return raw;
  // Control characters (ESC, BEL, C1) become spaces: shown raw they would drive the terminal, and they were never part of a word.
  let text = withoutControls(raw).replace(/\s+/g, ' ').trim();
  if (!/[\\$`{]/.test(text)) return text;
  text = text
    .replace(/\{?\\([`'^"~=.])\s*\{?([A-Za-z]|\\i)\}?\}?/g, (_, accent: string, letter: string) =>
      (letter === '\\i' ? 'i' : letter) + ACCENTS[accent]!,
    )
    .replace(/\{?\\([uvHck])\{([A-Za-z])\}\}?/g, (_, accent: string, letter: string) => letter + ACCENTS[accent]!)
    .normalize('NFC');
  // Innermost arguments first, so nested \textbf{\emph{x}} unwraps fully.
  for (let prev = ''; prev !== text; ) {
    prev = text;
    text = text.replace(COMMANDS_KEEPING_ARGUMENT, '$1');
  }
  return text
    .replace(/\\([%&_#$])/g, (_, ch: string) => (ch === '$' ? '\u0000' : ch))
    .replace(/\$([^$]*)\$/g, (_, math: string) => normalizeMath(math))
    .replace(/\u0000/g, '$')
    .replace(/``|''/g, '"')
    .replace(/`([^`'\s][^`']{0,40})'/g, '‘$1’')
    .replace(/\s+/g, ' ')
    .trim();
}

/** C0 and C1 control characters but the newline replaced by spaces: text safe to print. */
export function withoutControls(text: string): string {
  return text.replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/g, ' ');
}

function normalizeMath(math: string): string {
  return math
    .replace(/\\([A-Za-z]+)\s*/g, (whole, name: string) => SYMBOLS[name] ?? whole)
    .replace(/\\[,;:! ]/g, ' ')
    .replace(/_\{([^{}]*)\}/g, '$1')
    .replace(/_(\S)/g, '$1')
    .replace(/\^\{([^{}]*)\}/g, '^$1')
    .replace(/[{}]/g, '')
    .trim();
}
