import { afterEach, describe, expect, it, vi } from 'vitest';
import { SwotCard } from '../../extension/app/cards/swot/SwotCard.tsx';
import {
  Button,
  Flex,
  LoadingSpinner,
  Panel,
  Tag,
  TextArea,
  Tile,
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

const SCORECARD = '/api/v1/companies/1003/scorecard';
const SWOT = '/api/v1/companies/1003/swot';
const strategic = fixtures.companies.strategic;
const manual = {
  strengths: ['Chosen supplier for the Nordic rollout'],
  weaknesses: [],
  opportunities: [],
  threats: [],
  competitors: ['Nordlys AB'],
  accountPlan: null,
  tierOverride: null,
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SWOT card', () => {
  it('shows a spinner while loading', () => {
    mockBackend(on('GET', SCORECARD, 'never'));
    const card = renderCard(SwotCard);
    expect(card.find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('shows derived items with their evidence in four quadrants, beside the manual items and competitors', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic, { manual }) }));
    const card = renderCard(SwotCard);
    await card.waitForText('Strengths');
    const strengths = card.findByTestId(Tile, 'swot-strength').toString();
    expect(strengths).toContain('Long relationship: customer for 1068 days');
    // The sentence, not the rule id tag it used to carry; the rule in words is a tooltip.
    expect(strengths).not.toContain('"S1"');
    const why = card.findByTestId(Tile, 'swot-strength').findAll(Button)[0];
    expect(why?.text).toBe('Why?');
    expect(why?.props.overlay).toBeDefined();
    expect(strengths).toContain(
      'Customer for two years or more, buying in at least 4 of the last 8 quarters.',
    );
    expect(strengths).toContain('• Chosen supplier for the Nordic rollout');
    expect(card.findByTestId(Tile, 'swot-threat').toString()).toContain(
      'Dependence on one account: 25% of portfolio revenue',
    );
    expect(card.findByTestId(Tile, 'swot-opportunity').toString()).toContain(
      'Weighted pipeline 391k = 53% of trailing revenue 742k',
    );
    expect(card.screen()).toContain('Nordlys AB');
  });

  it('lays the quadrants out two by two, coloured by quadrant, the editor in a panel', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic, { manual }) }));
    const card = renderCard(SwotCard);
    await card.waitForText('Strengths');
    const rows = card
      .findAll(Flex, { direction: 'row' })
      .map((row) => row.findAll(Tile).map((tile) => tile.props.testId));
    expect(rows).toContainEqual(['swot-strength', 'swot-weakness']);
    expect(rows).toContainEqual(['swot-opportunity', 'swot-threat']);
    expect(card.findByTestId(Tile, 'swot-threat').find(Tag).props.variant).toBe('error');
    expect(card.find(Panel, { id: 'kam-swot-editor' }).findAll(TextArea)).toHaveLength(5);
  });

  it('has an empty state that still lets the rep add items', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(null) }));
    const card = renderCard(SwotCard);
    await card.waitForText('No SWOT yet');
    expect(card.findByTestId(Button, 'swot-edit').text).toBe('Edit');
  });

  it('saves manual items one per line, shows the recomputed SWOT and refreshes the record', async () => {
    const saved = {
      ...manual,
      weaknesses: ['Slow invoice approvals'],
      competitors: ['Nordlys AB', 'Baltic Parts'],
    };
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic, { manual }) }),
      on('PUT', SWOT, { status: 200, body: scorecardFor(strategic, { manual: saved }) }),
    );
    const card = renderCard(SwotCard);
    await card.waitForText('Strengths');
    fire(card.findByTestId(Button, 'swot-edit'), 'onClick');
    const editor = () => card.find(Panel, { id: 'kam-swot-editor' });
    await card.waitFor(() => expect(editor().findAll(TextArea)).toHaveLength(5));
    fire(card.find(TextArea, { name: 'weakness' }), 'onChange', 'Slow invoice approvals\n\n  ');
    fire(card.find(TextArea, { name: 'competitors' }), 'onChange', 'Nordlys AB\nBaltic Parts');
    const reactions = clickInOverlay(card.findByTestId(Button, 'swot-save'));
    await card.waitForText('SWOT saved; the account was recomputed.');
    expect(reactions.closePanel).toHaveBeenCalledWith('kam-swot-editor');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      strengths: ['Chosen supplier for the Nordic rollout'],
      weaknesses: ['Slow invoice approvals'],
      opportunities: [],
      threats: [],
      competitors: ['Nordlys AB', 'Baltic Parts'],
    });
    expect(card.screen()).toContain('Baltic Parts');
    expect(card.findByTestId(Tile, 'swot-weakness').toString()).toContain(
      '• Slow invoice approvals',
    );
    expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it('keeps the editor open with the error when saving fails', async () => {
    mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic, { manual }) }),
      on('PUT', SWOT, 'network-error'),
    );
    const card = renderCard(SwotCard);
    await card.waitForText('Strengths');
    fire(card.findByTestId(Button, 'swot-edit'), 'onClick');
    const reactions = clickInOverlay(card.findByTestId(Button, 'swot-save'));
    await card.waitForText('The KAM service cannot be reached');
    expect(card.find(Panel, { id: 'kam-swot-editor' }).findAll(TextArea)).toHaveLength(5);
    expect(reactions.closePanel).not.toHaveBeenCalled();
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
    mockBackend(on('GET', SCORECARD, reply));
    const card = renderCard(SwotCard);
    await card.waitForText(title);
  });
});
