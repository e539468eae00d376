import { afterEach, describe, expect, it, vi } from 'vitest';
import { SatisfactionCard } from '../../extension/app/cards/satisfaction/SatisfactionCard.tsx';
import {
  Accordion,
  BarChart,
  Button,
  DateInput,
  Heading,
  LoadingSpinner,
  NumberInput,
  Panel,
  Text,
} from '../../extension/app/cards/testing.ts';
import {
  apiError,
  clickInOverlay,
  fire,
  fixtures,
  mockBackend,
  on,
  renderCard,
  scorecardFor,
} from './support/card-harness.ts';

const { belowExpectations, newWithStaleSurvey, complaint } = fixtures.companies;
const scorecardPath = (id: string) => `/api/v1/companies/${id}/scorecard`;
const surveyPath = (id: string) => `/api/v1/companies/${id}/survey`;

afterEach(() => {
  vi.restoreAllMocks();
});

function renderFor(id: string) {
  return renderCard(SatisfactionCard, { companyId: Number(id) });
}

describe('Satisfaction gap card', () => {
  it('shows a spinner while loading', () => {
    mockBackend(on('GET', scorecardPath('1038'), 'never'));
    const card = renderFor('1038');
    expect(card.find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('names the worst dimension and charts the gap per SERVQUAL dimension, with the overall gap and level', async () => {
    mockBackend(
      on('GET', scorecardPath('1038'), { status: 200, body: scorecardFor(belowExpectations) }),
    );
    const card = renderFor('1038');
    await card.waitForText('Overall gap');
    expect(card.screen()).toContain('number="-0.40"');
    expect(card.screen()).toContain('Below expectations');
    expect(card.findByTestId(Text, 'worst-dimension').text).toBe('Reliability');
    expect(card.screen()).toContain('number="-2.00"');
    const data = card.find(BarChart).props.data;
    expect(data).toContainEqual({ dimension: 'Reliability', gap: -2 });
    expect(data).toHaveLength(5);
    expect(card.screen()).not.toContain('Survey out of date');
    // No complaint: no big "0" for it.
    expect(card.screen()).not.toContain('Open complaints');
  });

  it('keeps the survey closed in a panel, offered by one button', async () => {
    mockBackend(
      on('GET', scorecardPath('1038'), { status: 200, body: scorecardFor(belowExpectations) }),
    );
    const card = renderFor('1038');
    await card.waitForText('Overall gap');
    expect(card.findByTestId(Button, 'survey-open').text).toBe('Enter a survey');
    expect(card.maybeFind(Accordion)).toBeNull();
    expect(card.maybeFind(Heading, { children: 'Enter a survey' })).toBeNull();
    expect(card.find(Panel, { id: 'kam-survey' }).findAll(NumberInput)).toHaveLength(10);
  });

  it('warns when the survey is stale', async () => {
    mockBackend(
      on('GET', scorecardPath('1004'), { status: 200, body: scorecardFor(newWithStaleSurvey) }),
    );
    const card = renderFor('1004');
    await card.waitForText('Survey out of date');
    expect(card.screen()).toContain('The last survey is 493 days old; run a new one.');
  });

  it('shows the empty state, open complaints and the form when no survey was entered', async () => {
    mockBackend(on('GET', scorecardPath('1032'), { status: 200, body: scorecardFor(complaint) }));
    const card = renderFor('1032');
    await card.waitForText('No survey entered yet');
    expect(card.screen()).toContain('Open complaints: 1');
    expect(card.screen()).toContain('Only about 4% of unhappy customers complain');
    expect(card.findAll(NumberInput)).toHaveLength(10);
  });

  it.each([
    ['0', 0, 'Enter a number from 1 to 7, or leave it empty.'],
    ['8', 8, 'Enter a number from 1 to 7, or leave it empty.'],
    ['3.5 (an average)', 3.5, undefined],
    ['empty', Number.NaN, undefined],
    ['7', 7, undefined],
  ])('validates an answer of %s on its field', async (_name, value, message) => {
    const { calls } = mockBackend(
      on('GET', scorecardPath('1038'), { status: 200, body: scorecardFor(belowExpectations) }),
    );
    const card = renderFor('1038');
    await card.waitForText('Overall gap');
    fire(card.find(NumberInput, { name: 'responsiveness.expected' }), 'onChange', value);
    const field = card.find(NumberInput, { name: 'responsiveness.expected' });
    expect(field.props.validationMessage).toBe(message);
    expect(field.props.error).toBe(message !== undefined);
    if (message !== undefined) {
      clickInOverlay(card.findByTestId(Button, 'survey-submit'));
      expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
    }
  });

  it('submits a partial survey with its date, shows the recomputed gap and refreshes the record', async () => {
    const { calls } = mockBackend(
      on('GET', scorecardPath('1032'), { status: 200, body: scorecardFor(complaint) }),
      on('PUT', surveyPath('1032'), { status: 200, body: scorecardFor(belowExpectations) }),
    );
    const card = renderFor('1032');
    await card.waitForText('No survey entered yet');
    fire(card.find(NumberInput, { name: 'responsiveness.expected' }), 'onChange', 6);
    fire(card.find(NumberInput, { name: 'responsiveness.perceived' }), 'onChange', 3);
    clickInOverlay(card.findByTestId(Button, 'survey-submit'));
    // Answers without a date are refused on the date field before anything is sent.
    expect(card.find(DateInput).props.validationMessage).toBe('Enter the date of the survey.');
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
    fire(card.find(DateInput), 'onChange', {
      year: 2026,
      month: 10,
      date: 20,
      formattedDate: '2026-11-20',
    });
    const saving = clickInOverlay(card.findByTestId(Button, 'survey-submit'));
    await card.waitForText('Survey saved; the account was recomputed.');
    expect(saving.closePanel).toHaveBeenCalledWith('kam-survey');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      surveyDate: '2026-11-20',
      ratings: {
        tangibles: { expected: null, perceived: null },
        reliability: { expected: null, perceived: null },
        responsiveness: { expected: 6, perceived: 3 },
        assurance: { expected: null, perceived: null },
        empathy: { expected: null, perceived: null },
      },
    });
    expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(1);
    expect(card.screen()).toContain('number="-0.40"');
  });

  it("puts the backend's validation message on the field it names", async () => {
    mockBackend(
      on('GET', scorecardPath('1038'), { status: 200, body: scorecardFor(belowExpectations) }),
      on(
        'PUT',
        surveyPath('1038'),
        apiError(400, 'validation_failed', 'must be at most 7', 'ratings.empathy.perceived'),
      ),
    );
    const card = renderFor('1038');
    await card.waitForText('Overall gap');
    clickInOverlay(card.findByTestId(Button, 'survey-submit'));
    await card.waitFor(() =>
      expect(card.find(NumberInput, { name: 'empathy.perceived' }).props.validationMessage).toBe(
        'must be at most 7',
      ),
    );
    expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });

  it.each([
    ['unreachable', 'network-error' as const, 'The KAM service cannot be reached'],
    [
      'needs re-authorisation',
      apiError(409, 'needs_reauth', 'reinstall'),
      'KAM needs to be reconnected',
    ],
  ])('shows the error state when the backend is %s', async (_name, reply, title) => {
    mockBackend(on('GET', scorecardPath('1038'), reply));
    const card = renderFor('1038');
    await card.waitForText(title);
  });
});
