import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { Messages } from '../lib/i18n.ts';
import type { CompanyScore, Level } from '../lib/types.ts';
import { MATRIX_LEVELS, strategyOf } from './matrix.ts';

/**
 * The attractiveness × strength grid as the GE matrix is drawn (rows
 * attractiveness high → low, columns strength high → low); `cell` fills each
 * of the nine cells. Shared by the grade card and the home page.
 */
export function MatrixTable({
  m,
  testId,
  cell,
}: {
  m: Messages;
  testId: string;
  cell: (attractiveness: Level, strength: Level) => ReactNode;
}) {
  return (
    <Table bordered testId={testId}>
      <TableHead>
        <TableRow>
          <TableHeader>
            {m.grade.attractiveness} ↓ / {m.grade.strength} →
          </TableHeader>
          {MATRIX_LEVELS.map((strength) => (
            <TableHeader key={strength}>{m.level[strength]}</TableHeader>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {MATRIX_LEVELS.map((attractiveness) => (
          <TableRow key={attractiveness}>
            <TableCell>{m.level[attractiveness]}</TableCell>
            {MATRIX_LEVELS.map((strength) => (
              <TableCell key={strength}>{cell(attractiveness, strength)}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The attractiveness × strength position as a 3×3 grid, the account's cell marked. */
export function GradeMatrix({ company, m }: { company: CompanyScore; m: Messages }) {
  return (
    <MatrixTable
      m={m}
      testId="grade-matrix"
      cell={(attractiveness, strength) => {
        const here =
          company.attractivenessLevel === attractiveness && company.strengthLevel === strength;
        const label = m.strategy[strategyOf(attractiveness, strength)];
        return here ? (
          <Text format={{ fontWeight: 'bold' }} testId="matrix-here">
            {m.grade.here(label)}
          </Text>
        ) : (
          <Text variant="microcopy">{label}</Text>
        );
      }}
    />
  );
}
