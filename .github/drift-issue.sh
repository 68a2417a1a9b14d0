#!/usr/bin/env bash
# The last step of .github/workflows/drift.yml: reads what each daily check of one stack recorded in
# $RUNNER_TEMP (<check>.status, its exit status; <check>.out or preview.err, what it printed) and
# keeps ONE open issue per stack, titled "Drift: <stack>" and labelled `drift`: on a finding it
# comments on the open one, or opens it; on a clean run it closes the open one. It exits 1 when
# there is a finding, so that the run is red too.
#
# Environment: STACK (the stack), RUNNER_TEMP (where the checks wrote), RUN_URL (this run's page),
# DOCS_URL (the docs/ folder of the commit that ran, for links); GH_TOKEN and GH_REPO for the gh CLI.
set -euo pipefail

LABEL=drift
TITLE="Drift: $STACK"
body="$RUNNER_TEMP/drift-issue.md"

# What a check recorded: its exit status, or "none" when it did not run.
status_of() {
    if [ -f "$RUNNER_TEMP/$1.status" ]; then tr -d '[:space:]' < "$RUNNER_TEMP/$1.status"; else echo none; fi
}

# Appends check:drift's report as it is: Markdown, with every value from AWS in a code span
# (docs/drift.md#what-it-reports), so a tag set in AWS cannot become Markdown, HTML or an @-mention.
report_of() {
    local file="$RUNNER_TEMP/$1"
    [ -s "$file" ] || return 0
    printf '\n' >> "$body"
    cat "$file" >> "$body"
}

# Appends a check's output (its last 150 lines), folded, to the issue body, in a code block whose
# fence is longer than any run of backticks in it: output that holds ``` (an error quoting Markdown,
# a value from AWS) cannot close the block early and become Markdown, HTML or an @-mention.
output_of() {
    local file="$RUNNER_TEMP/$1" text fence='```'
    [ -s "$file" ] || return 0
    text="$(tail -n 150 "$file")"
    while [[ "$text" == *"$fence"* ]]; do fence="$fence\`"; done
    printf '\n<details><summary>%s</summary>\n\n%s\n%s\n%s\n</details>\n' "$1" "$fence" "$text" "$fence" >> "$body"
}

findings=0
finding() {
    findings=$((findings + 1))
    printf '\n### %s\n\n%s\n' "$1" "$2" >> "$body"
}

printf 'The daily checks of stack `%s` found something ([run](%s)).\n' "$STACK" "$RUN_URL" > "$body"

preview="$(status_of preview)"
case "$preview" in
    0 | 7) ;;
    *)
        finding "The refresh-and-compare preview failed (exit $preview)" \
            "\`pulumi preview --refresh --expect-no-changes\` did not run to its end, so drift could not be judged. Its errors:"
        output_of preview.err
        ;;
esac

drift="$(status_of check-drift)"
case "$drift" in
    0) ;;
    3)
        finding "Security drift" \
            "A setting that protects the pool is weaker in AWS than \`Pulumi.$STACK.yaml\` declares (check:drift exit 3). To restore the declared state, run the Deploy workflow from main (Actions → Deploy → Run workflow), which runs \`pulumi up\` for every stack; if the change in AWS was meant, write it into \`Pulumi.$STACK.yaml\` in a pull request instead. See [restoring or accepting]($DOCS_URL/drift.md#restoring-the-declared-state-or-accepting-the-drift)."
        report_of check-drift.out
        ;;
    4)
        finding "Drift" \
            "Something differs between AWS and \`Pulumi.$STACK.yaml\` (check:drift exit 4), nothing that weakens the pool. The next deploy puts it back; to keep it, write it into \`Pulumi.$STACK.yaml\` in a pull request. See [drift]($DOCS_URL/drift.md)."
        report_of check-drift.out
        ;;
    *)
        finding "check:drift could not judge the preview (exit $drift)" \
            "Exit 1: the preview was unreadable or of an unknown shape; 2: a usage error; none: it did not run."
        output_of check-drift.out
        ;;
esac

admins="$(status_of admin-status)"
case "$admins" in
    0) ;;
    1)
        finding "An admin cannot get in" \
            "admin:status exit 1: a declared admin is missing or its temporary password has expired. Re-issue it: [re-issuing an expired temporary password]($DOCS_URL/operations.md#re-issuing-an-expired-temporary-password)."
        output_of admin-status.out
        ;;
    5)
        finding "An admin's temporary password expires within 2 days" \
            "admin:status exit 5: have the admin sign in for the first time now (\`npm run admin:first-sign-in -- --stack $STACK\`), or re-issue the password."
        output_of admin-status.out
        ;;
    *)
        finding "admin:status failed (exit $admins)" "It could not list the admins."
        output_of admin-status.out
        ;;
esac

signin="$(status_of verify-signin)"
if [ "$signin" != 0 ]; then
    finding "The sign-in check failed (exit $signin)" \
        "A fresh canary user could not sign in through TOTP as declared (\"MFA not enforced\" means the pool let it in without a TOTP challenge). See [the sign-in check]($DOCS_URL/operations.md#the-sign-in-check)."
    output_of verify-signin.out
fi

open="$(gh issue list --label "$LABEL" --state open --limit 100 --json number,title |
    jq -r --arg title "$TITLE" '[.[] | select(.title == $title) | .number][0] // empty')"

if [ "$findings" -eq 0 ]; then
    if [ -n "$open" ]; then
        gh issue close "$open" --comment "The daily checks of stack \`$STACK\` found nothing ([run]($RUN_URL)): closed."
    fi
    echo "Stack $STACK: no finding."
    exit 0
fi

if [ -n "$open" ]; then
    gh issue comment "$open" --body-file "$body"
else
    gh label create "$LABEL" --color D93F0B --description "Found by the daily drift, admin and sign-in checks" --force > /dev/null
    gh issue create --title "$TITLE" --label "$LABEL" --body-file "$body" > /dev/null
fi
echo "Stack $STACK: $findings finding(s), reported in the issue \"$TITLE\"."
exit 1
