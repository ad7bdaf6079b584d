/** The catalogue of error codes raised by utm5_urfaclient; messages name the file and line where one applies. */
export const UrfaclientErrorCodes = {
  UTM_USAGE: 'the command line is malformed',
  UTM_XML_READ: 'an api.xml scheme, action script or data file cannot be read',
  UTM_XML_SYNTAX: 'an XML file is not well formed',
  UTM_XML_TAG: 'an XML element is not allowed where it is',
  UTM_XML_ATTR: 'an XML attribute is missing or has a value outside what it allows',
  UTM_URFA_NO_FUNCTION: 'the function is not in the api.xml scheme',
  UTM_SCRIPT: 'an action script element cannot be run',
  UTM_SCRIPT_EXIT: 'an <error> tag in the script or the api.xml scheme ended the script',
} as const;

export type UrfaclientErrorCode = keyof typeof UrfaclientErrorCodes;
