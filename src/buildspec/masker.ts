/**
 * Masking of secret values in build output (spec/buildspec.md §7): every occurrence of a
 * secret's exact text becomes `***`, in command output and in the agent's own lines (including
 * the echoed `Running command ...`). Derived values (base64, reversed, parts) are not masked,
 * as on AWS. Multi-line secrets are also masked line by line, since logs are split into lines.
 * Values shorter than MIN_MASKED_LENGTH are not masked: hiding every "1" would hide the log.
 *
 * Short secrets are words too: a Parameter Store value `test` would otherwise turn "Running
 * unit tests" into "Running unit ***s" and `./run-tests.sh` into `./run-***s.sh`. So a secret
 * shorter than WORD_MASKED_LENGTH is masked where it stands as a word of its own (no letter,
 * digit or `_` right before or after it); a longer one wherever it appears, as AWS does. Only
 * secret values (Parameter Store, Secrets Manager) are masked, never plaintext variables of the
 * project or of the user's environment (docs/codebuild.md, "Masking").
 */

export const MASK = "***";
export const MIN_MASKED_LENGTH = 3;
export const WORD_MASKED_LENGTH = 8;

export type Masker = (text: string) => string;

export function createMasker(secrets: readonly string[]): Masker {
  const needles = new Set<string>();
  for (const secret of secrets) {
    for (const part of [secret, ...secret.split(/\r?\n/)]) {
      const trimmed = part === secret ? part : part.trim();
      if (trimmed.length >= MIN_MASKED_LENGTH) needles.add(trimmed);
    }
  }
  if (needles.size === 0) return (text) => text;
  // Longest first, so a secret containing another is replaced whole.
  const alternatives = [...needles]
    .sort((a, b) => b.length - a.length)
    .map((n) =>
      n.length < WORD_MASKED_LENGTH ? `(?<![A-Za-z0-9_])${escapeRegExp(n)}(?![A-Za-z0-9_])` : escapeRegExp(n),
    );
  const pattern = new RegExp(alternatives.join("|"), "g");
  return (text) => text.replace(pattern, MASK);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
