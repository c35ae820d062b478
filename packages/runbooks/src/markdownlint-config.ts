/**
 * The markdownlint configuration every generated runbook passes (the tests lint each one with it).
 * Everything markdownlint checks by default, except where a runbook shows user text as written.
 */
export const markdownlintConfig = {
  default: true,
  // Summaries, steps and commands are one line each, as their authors wrote them; wrapping would
  // change commands and PromQL.
  MD013: false,
  // Headings are procedure titles as written; one ending in '.' or ':' is the author's choice.
  MD026: false,
  // Code blocks hold commands and PromQL verbatim, tabs included.
  MD010: { code_blocks: false },
  // An alert name at several severities repeats "Impact", "Diagnosis" … once per severity section.
  MD024: { siblings_only: true },
} as const;
