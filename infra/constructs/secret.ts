import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export interface ExternallyRotatedSecretProps {
  description: string;
  /** How it is rotated instead (acknowledges cdk-nag AwsSolutions-SMG4). */
  rotation: string;
  /** Generate a random value of this length (no punctuation) instead of leaving it to be set. */
  generatedLength?: number;
}

/**
 * A secret that outlives the stack and is rotated outside Secrets Manager (in Salesforce, Slack or
 * by a documented manual step), so it has no rotation schedule and says why.
 */
export function externallyRotatedSecret(
  scope: Construct,
  id: string,
  props: ExternallyRotatedSecretProps,
): Secret {
  const secret = new Secret(scope, id, {
    description: props.description,
    ...(props.generatedLength
      ? { generateSecretString: { passwordLength: props.generatedLength, excludePunctuation: true } }
      : {}),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.rotation });
  return secret;
}
