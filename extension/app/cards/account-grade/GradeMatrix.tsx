import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import type { Messages } from '../lib/i18n.ts';
import type { CompanyScore } from '../lib/types.ts';
import { MATRIX_LEVELS, strategyOf } from './matrix.ts';

/** The attractiveness × strength position as a 3×3 grid, the account's cell marked. */
export function GradeMatrix({ company, m }: { company: CompanyScore; m: Messages }) {
  return (
    <Table bordered testId="grade-matrix">
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
            {MATRIX_LEVELS.map((strength) => {
              const here =
                company.attractivenessLevel === attractiveness &&
                company.strengthLevel === strength;
              const label = m.strategy[strategyOf(attractiveness, strength)];
              return (
                <TableCell key={strength}>
                  {here ? (
                    <Text format={{ fontWeight: 'bold' }} testId="matrix-here">
                      ● {label} ({m.grade.here})
                    </Text>
                  ) : (
                    <Text variant="microcopy">{label}</Text>
                  )}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
