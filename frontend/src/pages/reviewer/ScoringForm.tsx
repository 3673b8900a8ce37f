import { Badge, Button, Card, Group, List, NumberInput, Stack, Text, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import type { CombinedError } from "urql";
import { useMutation } from "urql";

import { apiErrors } from "../../api/errors";
import { ErrorAlert } from "../../components/QueryState";
import { graphql } from "../../gql";
import { criterionInMessage, formatPoints, weightedTotal, weightShare, type Criterion } from "./rubric";

const SubmitReview = graphql(`
  mutation ReviewerSubmitReview($assignmentId: ID!, $scores: [GrantScoreInput!]!, $comment: String!) {
    submitReview(assignmentId: $assignmentId, scores: $scores, comment: $comment) {
      assignmentId
      status
      scores {
        key
        score
      }
      total
      comment
      submittedAt
    }
  }
`);

interface ScoringValues {
  scores: { key: string; score: number | string }[];
  comment: string;
}

const COMMENT_MAX = 10000;

function scoreError(criterion: Criterion, value: number | string): string | null {
  if (value === "" || value === null || value === undefined) return `Give a score from 0 to ${criterion.maxScore}`;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n)) return "Use a whole number";
  if (n < 0 || n > criterion.maxScore) return `Must be from 0 to ${criterion.maxScore}`;
  return null;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function asScore(value: number | string): number | null {
  const n = typeof value === "number" ? value : value === "" ? NaN : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The rubric as a form: one whole-number score per criterion, its weight shown, and a comment. */
export function ScoringForm({
  assignmentId,
  rubric,
  onSubmitted,
}: {
  assignmentId: string;
  rubric: readonly Criterion[];
  onSubmitted?: () => void;
}) {
  const [{ fetching }, submit] = useMutation(SubmitReview);
  const [error, setError] = useState<CombinedError | null>(null);
  const form = useForm<ScoringValues>({
    initialValues: { scores: rubric.map((c) => ({ key: c.key, score: "" })), comment: "" },
    validate: {
      scores: {
        score: (value, _values, path) => {
          const index = Number(path.split(".")[1]);
          const criterion = rubric[index];
          return criterion ? scoreError(criterion, value) : null;
        },
      },
      comment: (value) => (value.length > COMMENT_MAX ? `At most ${COMMENT_MAX} characters` : null),
    },
  });

  const current = Object.fromEntries(form.values.scores.map((s) => [s.key, asScore(s.score)]));
  const total = weightedTotal(rubric, current);

  const onSubmit = form.onSubmit(async (values) => {
    setError(null);
    const result = await submit({
      assignmentId,
      scores: values.scores.map((s) => ({ key: s.key, score: Number(s.score) })),
      comment: values.comment.trim(),
    });
    if (result.error) {
      // The service names the criterion in its message; put it next to that score.
      const errors: Record<string, string> = {};
      let shown = true;
      for (const e of apiErrors(result.error)) {
        const key = e.code === "BAD_USER_INPUT" ? criterionInMessage(e.message) : null;
        const index = key ? rubric.findIndex((c) => c.key === key) : -1;
        if (index >= 0) errors[`scores.${index}.score`] = sentence(e.message);
        else if (e.code === "BAD_USER_INPUT" && e.field === "comment") errors.comment = sentence(e.message);
        else shown = false;
      }
      form.setErrors(errors);
      if (!shown) setError(result.error);
      return;
    }
    notifications.show({
      color: "green",
      title: "Review submitted",
      message: `Your weighted score: ${formatPoints(result.data?.submitReview.total)} out of 100.`,
    });
    onSubmitted?.();
  });

  return (
    <Card withBorder component="section" aria-labelledby="scoring-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={3} id="scoring-title" size="h4">
            Your scores
          </Title>
          <Text size="sm" c="dimmed">
            Score each criterion with a whole number. The weighted total is out of 100. Once submitted, a review
            cannot be changed.
          </Text>
          {error && <ErrorAlert error={error} />}
          {rubric.map((criterion, index) => (
            <Card withBorder padding="sm" key={criterion.key} data-testid={`criterion-${criterion.key}`}>
              <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
                <NumberInput
                  label={criterion.name}
                  description={`Score 0 to ${criterion.maxScore}`}
                  min={0}
                  max={criterion.maxScore}
                  step={1}
                  allowDecimal={false}
                  allowNegative={false}
                  clampBehavior="none"
                  required
                  w={{ base: "100%", xs: 260 }}
                  {...form.getInputProps(`scores.${index}.score`)}
                />
                <Badge variant="light" size="lg" aria-label={`Weight ${criterion.weight}, ${formatPoints(weightShare(rubric, criterion))}% of the total`}>
                  Weight {criterion.weight} · {formatPoints(weightShare(rubric, criterion))}%
                </Badge>
              </Group>
              {criterion.anchors.length > 0 && (
                <List size="sm" mt="xs" spacing={2} aria-label={`Score levels for ${criterion.name}`}>
                  {criterion.anchors.map((anchor) => (
                    <List.Item key={anchor.score}>
                      <Text span fw={600} size="sm">
                        {anchor.score}
                      </Text>
                      : {anchor.text}
                    </List.Item>
                  ))}
                </List>
              )}
            </Card>
          ))}
          <Text aria-live="polite" data-testid="weighted-total">
            Weighted total: <strong>{total === null ? "complete every score" : `${formatPoints(total)} / 100`}</strong>
          </Text>
          <Textarea
            label="Comment"
            description="For the programme's staff and, after they submit, the other reviewers."
            rows={4}
            maxLength={COMMENT_MAX}
            {...form.getInputProps("comment")}
          />
          <Group>
            <Button type="submit" loading={fetching}>
              Submit review
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
