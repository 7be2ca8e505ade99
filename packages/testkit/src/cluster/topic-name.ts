import { BrokerError } from '../broker-error.js'

const LEGAL = /^[a-zA-Z0-9._-]+$/

/** Kafka's `Topic.validate`: 1-249 characters of `[a-zA-Z0-9._-]`, not `.` or `..`. */
export function validateTopicName(name: string): void {
  let problem: string | undefined
  if (name.length === 0) problem = "Topic name is illegal, it can't be empty"
  else if (name === '.' || name === '..') problem = 'Topic name cannot be "." or ".."'
  else if (name.length > 249)
    problem = `Topic name is illegal, it can't be longer than 249 characters, topic name: ${name}`
  else if (!LEGAL.test(name)) {
    problem = `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`
  }
  if (problem !== undefined) throw new BrokerError('INVALID_TOPIC_EXCEPTION', problem)
}

/** True for a name Kafka accepts. */
export function isValidTopicName(name: string): boolean {
  try {
    validateTopicName(name)
    return true
  } catch {
    return false
  }
}
