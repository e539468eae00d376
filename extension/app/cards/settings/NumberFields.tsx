import { Flex, NumberInput } from '@hubspot/ui-extensions';
import { numberFromInput, type SettingsErrors } from './settings-form.ts';

export interface NumberFieldsProps<Key extends string> {
  /** The settings field the numbers belong to; each input is named `<group>.<key>`. */
  readonly group: string;
  readonly keys: readonly Key[];
  readonly values: Readonly<Record<Key, number>>;
  readonly label: (key: Key) => string;
  readonly errors: SettingsErrors;
  readonly readOnly: boolean;
  readonly precision?: number;
  readonly min?: number;
  readonly max?: number;
  /** The whole record with the one key changed (an emptied input is NaN, which validation names). */
  readonly onChange: (values: Record<Key, number>) => void;
}

/** One row of number inputs for a record of the settings (per tier, per weight). */
export function NumberFields<Key extends string>(props: NumberFieldsProps<Key>) {
  const { group, keys, values, errors } = props;
  return (
    <Flex direction="row" gap="sm" wrap>
      {keys.map((key) => {
        const path = `${group}.${key}`;
        return (
          <NumberInput
            key={path}
            name={path}
            label={props.label(key)}
            value={values[key]}
            readOnly={props.readOnly}
            error={errors[path] !== undefined}
            validationMessage={errors[path]}
            {...(props.precision === undefined ? {} : { precision: props.precision })}
            {...(props.min === undefined ? {} : { min: props.min })}
            {...(props.max === undefined ? {} : { max: props.max })}
            onChange={(value) => props.onChange({ ...values, [key]: numberFromInput(value) })}
          />
        );
      })}
    </Flex>
  );
}
