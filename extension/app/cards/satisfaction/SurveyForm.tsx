import {
  Button,
  DateInput,
  Flex,
  NumberInput,
  PanelBody,
  PanelFooter,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { ApiError, ApiResult } from '../lib/api-client.ts';
import { SaveErrorAlert } from '../lib/CardStates.tsx';
import type { Messages } from '../lib/i18n.ts';
import { DIMENSIONS, type Satisfaction, type Scorecard, type SurveyRatings } from '../lib/types.ts';
import {
  dateToIso,
  draftFromSatisfaction,
  fieldOfServerError,
  isoToDate,
  ratingFromInput,
  surveyBody,
  validateSurvey,
  type RatingField,
  type SurveyErrors,
} from './survey-form.ts';

export const SURVEY_PANEL = 'kam-survey';

/**
 * Ten 1–7 answers (expectation and perception per SERVQUAL dimension) and the
 * survey date, in the body and footer of the survey `Panel`; a save closes it.
 */
export function SurveyForm({
  satisfaction,
  m,
  onSubmit,
  onSaved,
}: {
  satisfaction: Satisfaction | null;
  m: Messages;
  onSubmit: (survey: SurveyRatings) => Promise<ApiResult<Scorecard>>;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState(() => draftFromSatisfaction(satisfaction));
  const [errors, setErrors] = useState<SurveyErrors>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);

  const setRating = (field: RatingField, value: number | undefined) => {
    const next = { ...draft, ratings: { ...draft.ratings, [field]: ratingFromInput(value) } };
    setDraft(next);
    // Re-validate as the user types so a fixed field loses its message at once.
    setErrors(validateSurvey(next, m));
  };

  const submit = async (closePanel: () => void) => {
    const found = validateSurvey(draft, m);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    setSaveError(null);
    const result = await onSubmit(surveyBody(draft));
    setSaving(false);
    if (result.ok) {
      onSaved();
      closePanel();
      return;
    }
    const field = fieldOfServerError(result.error.field);
    if (result.error.code === 'validation_failed' && field !== null) {
      setErrors({ [field]: result.error.message });
    } else {
      setSaveError(result.error);
    }
  };

  return (
    <>
      <PanelBody>
        <Flex direction="column" gap="sm">
          {saveError ? <SaveErrorAlert error={saveError} m={m} /> : null}
          <DateInput
            name="surveyDate"
            label={m.satisfaction.surveyDate}
            format="YYYY-MM-DD"
            value={isoToDate(draft.surveyDate)}
            error={errors.surveyDate !== undefined}
            validationMessage={errors.surveyDate}
            onChange={(value) => {
              const next = { ...draft, surveyDate: dateToIso(value) };
              setDraft(next);
              setErrors(validateSurvey(next, m));
            }}
          />
          {DIMENSIONS.map((dimension) => (
            <Flex key={dimension} direction="row" gap="sm">
              {(['expected', 'perceived'] as const).map((side) => {
                const field: RatingField = `${dimension}.${side}`;
                const label =
                  side === 'expected'
                    ? m.satisfaction.expectedOf(m.dimension[dimension])
                    : m.satisfaction.perceivedOf(m.dimension[dimension]);
                return (
                  <NumberInput
                    key={field}
                    name={field}
                    label={label}
                    min={1}
                    max={7}
                    value={draft.ratings[field] ?? undefined}
                    error={errors[field] !== undefined}
                    validationMessage={errors[field]}
                    onChange={(value) => setRating(field, value)}
                  />
                );
              })}
            </Flex>
          ))}
        </Flex>
      </PanelBody>
      <PanelFooter>
        <Button
          variant="primary"
          onClick={(_event, reactions) => void submit(() => reactions.closePanel(SURVEY_PANEL))}
          disabled={saving}
          testId="survey-submit"
        >
          {saving ? m.common.saving : m.satisfaction.submit}
        </Button>
      </PanelFooter>
    </>
  );
}
