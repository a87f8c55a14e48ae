// An error that points at a place in a file, printed the way editors and CI annotate: file:line:col.
export interface SourceLocation {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
}

export interface LocatedIssue extends SourceLocation {
  message: string;
}

export const formatIssue = (issue: LocatedIssue): string =>
  `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;

/** Thrown when a file is refused; carries every issue found, not only the first. */
export class LocatedError extends Error {
  constructor(readonly issues: LocatedIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "LocatedError";
  }
}
