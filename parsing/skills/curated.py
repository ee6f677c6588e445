"""The hand-curated part of the taxonomy, read only by ``build_taxonomy``.

``CURATED`` gives the ~400 skills recruiters search for most a canonical display name and the
aliases people type. An alias that equals an O*NET example (case, spacing and punctuation
aside) pulls that example, with its occupations, hot flag and commodity title, into the
curated skill; entries O*NET lacks carry their own category. Keep every alias specific: an
alias must never name two skills, and ordinary English words ("Word", "Project", "Access",
"Teams") are left out on purpose because they match far more than the product.
"""

from __future__ import annotations

from typing import NamedTuple


class Curated(NamedTuple):
    name: str
    aliases: tuple[str, ...]
    # None: the commonest O*NET commodity title of the examples the entry absorbs.
    category: str | None = None


# "@code" in the table sets the category: O*NET commodity titles for technologies O*NET does
# not list, and three of our own. A set category wins over O*NET's.
CATEGORIES: dict[str, str] = {
    "lang": "Object or component oriented development software",
    "devenv": "Development environment software",
    "web": "Web platform development software",
    "dbms": "Data base management system software",
    "cloud": "Cloud-based management software",
    "appserver": "Application server software",
    "analytics": "Analytical or scientific software",
    "bi": "Business intelligence and data analysis software",
    "testing": "Program testing software",
    "monitoring": "Network monitoring software",
    "config": "Configuration management software",
    "project": "Project management software",
    "hr": "Human resources software",
    "design": "Graphical user interface development software",
    "helpdesk": "Helpdesk or call center software",
    "tech": "Technical skills",
    "method": "Methodologies",
    "pro": "Professional skills",
}

# One skill per entry: "Name | alias | alias | @category". Entries are separated by newlines
# or ";"; a line starting with "|" continues the entry above; "#" starts a comment line.
_TABLE = """
# Programming, query and markup languages.
Python | Python 3 | Python3
Java | Oracle Java | Sun Microsystems Java | Core Java | Java SE
JavaScript | JS | ECMAScript | Javascript | ES6 | Vanilla JS
TypeScript | TS
C | C language | C programming | C programming language | ANSI C
C++ | cpp | C plus plus | CPlusPlus
C# | C sharp | csharp | Visual C# | Microsoft Visual C# .NET
Go | Golang | Go language | Go programming language
Rust | Rust programming language | Rust lang | Rustlang
Ruby | Ruby language
PHP | Hypertext preprocessor PHP | PHP 7 | PHP 8
Perl | Perl 5
Scala; Kotlin
Swift | Swift programming language | Apple Swift
Objective-C | Objective C | ObjC | Obj-C
R | R programming | R language | R programming language | Rlang
MATLAB | The MathWorks MATLAB | Matlab
SAS | SAS programming | SAS Base
Stata | StataCorp Stata
SPSS | IBM SPSS Statistics | IBM SPSS | SPSS Statistics
Haskell; Lua
Julia | Julia language
Solidity; Elixir | @lang; Erlang | @lang; Clojure | @lang
F# | F sharp | fsharp | @lang
Dart | Dart language | @lang
Groovy | Apache Groovy
Visual Basic | Microsoft Visual Basic | VB
VBA | Microsoft Visual Basic for Applications VBA | Visual Basic for Applications | Excel VBA
VB.NET | Microsoft Visual Basic.NET | Visual Basic .NET | VBNET
VBScript | Microsoft Visual Basic Scripting Edition VBScript
COBOL | Common business oriented language COBOL
Fortran | Formula translation/translator FORTRAN
Lisp | List processing language LISP | Common Lisp
Delphi | Embarcadero Delphi
ABAP | Advanced business application programming ABAP | SAP ABAP
Assembly language | Assembler language | x86 assembly | @devenv
Shell scripting | Shell script | Shell scripts | UNIX Shell | Unix shell scripting
Bash | Bash scripting | Bourne Again Shell
PowerShell | Microsoft PowerShell | Microsoft Windows PowerShell | Windows PowerShell
SQL | Structured query language SQL | Structure query language SQL | Structured query language
T-SQL | Transact-SQL | Microsoft transact-structural query language T-SQL | TSQL
PL/SQL | Oracle PL/SQL | PLSQL
HTML | Hypertext markup language HTML | HTML5 | HTML 5
CSS | Cascading style sheets CSS | CSS3 | Cascading style sheets
Sass | Syntactically awesome style sheets SASS | SCSS
XML | Extensible markup language XML
JSON | JavaScript Object Notation JSON
GraphQL; AJAX

# Web, mobile and application frameworks.
React | React.js | ReactJS | React JS
React Native
Redux | React Redux
Angular | Google Angular | AngularJS | Angular.js | Angular 2
Vue.js | Vue | VueJS | Vue 3
Node.js | Node | NodeJS | Node JS
Express.js | ExpressJS | Express JS | @web
Next.js | NextJS | @web
Svelte | SvelteKit | @web
jQuery
Bootstrap | Twitter Bootstrap
Tailwind CSS | TailwindCSS | @web
Backbone.js | BackboneJS
webpack
Django | Django REST framework | DRF
Flask; FastAPI | @web
Ruby on Rails | Rails | RoR
Laravel | @web
Spring Framework | Spring | Spring MVC
Spring Boot | SpringBoot
Hibernate | Hibernate ORM
Apache Struts | Struts
.NET | Microsoft .NET Framework | .NET Framework | dotnet | dot net | .NET Core
ASP.NET | Microsoft ASP.NET | ASP dot net
ASP.NET Core | Microsoft ASP.NET Core MVC | ASP.NET MVC | ASP.NET Core MVC
Flutter | @web; Xamarin | @web
Android | Google Android | Android development
iOS | Apple iOS | iOS development
Unity | Unity Technologies Unity | Unity3D | Unity 3D
Unreal Engine | Unreal Technology Unreal Engine | UE4 | UE5

# Data science, machine learning and big data.
TensorFlow; PyTorch; Keras
scikit-learn | Scikit-learn | sklearn | scikit learn
pandas | Python pandas
NumPy; SciPy; spaCy; XGBoost
Hugging Face Transformers | Hugging Face | HuggingFace | @analytics
OpenAI ChatGPT | ChatGPT | OpenAI
Jupyter | Jupyter Notebook | Jupyter software | Jupyter Notebooks | JupyterLab
Apache Spark | Spark | Spark SQL
PySpark
Apache Hadoop | Hadoop
Apache Hive | Hive
Apache Kafka | Kafka
Apache Airflow | Airflow
Apache Cassandra | Cassandra
Apache HBase | HBase
Apache Solr | Solr
Elasticsearch | Elastic Search | ElasticSearch
Databricks | @analytics
Snowflake | Snowflake Data Cloud | @dbms
dbt | data build tool | @analytics
Informatica | Informatica software | Informatica PowerCenter
    | Informatica Corporation PowerCenter

# Cloud, DevOps, infrastructure.
Amazon Web Services | AWS | Amazon AWS | Amazon Web Services AWS software
    | Amazon Web Services AWS
Amazon EC2 | Amazon Elastic Compute Cloud EC2 | EC2 | AWS EC2
Amazon S3 | Amazon Simple Storage Service S3 | S3 | AWS S3
Amazon Redshift | Redshift | AWS Redshift
Amazon DynamoDB | DynamoDB | AWS DynamoDB
AWS CloudFormation | Amazon Web Services AWS CloudFormation | CloudFormation
AWS Lambda | Amazon Lambda | @cloud
Amazon SageMaker | Amazon Web Services AWS SageMaker | SageMaker | AWS SageMaker
Amazon ECS | Amazon Elastic Container Service ECS | AWS ECS
Amazon Kinesis | Kinesis | AWS Kinesis
Microsoft Azure | Azure | Microsoft Azure software | MS Azure | Windows Azure
Azure DevOps | Microsoft Azure DevOps Services | Azure DevOps Services | VSTS
Google Cloud Platform | GCP | Google Cloud | Google Cloud software
Google BigQuery | BigQuery | Big Query
Docker | Docker containers
Kubernetes | k8s | Kube | K8
Helm | Helm charts | @cloud
OpenShift | Red Hat OpenShift
Terraform | IBM Terraform | HashiCorp Terraform
Ansible | Ansible software | Red Hat Ansible Engine | Red Hat Ansible
Vagrant | HashiCorp Vagrant
VMware | VMware vSphere
OpenStack
Jenkins | Jenkins CI
GitHub; GitHub Actions | @config
GitLab | GitLab CI
Bitbucket | Atlassian Bitbucket
Git | Git version control
Subversion | Apache Subversion SVN | SVN | Apache Subversion
Perforce | Perforce Helix software | Perforce software | Perforce Helix
Prometheus
Grafana | Grafana Labs Grafana Cloud | Grafana Cloud
Datadog | @monitoring; New Relic | @monitoring; Nagios
Splunk | Splunk Enterprise
RabbitMQ
Nginx | NGINX | @appserver
Apache HTTP Server | Apache httpd | Apache web server
Apache Tomcat | Tomcat
Microsoft IIS | Microsoft Internet Information Services (IIS) | IIS
    | Internet Information Services
Apache Maven | Maven
Gradle
Linux | Linux administration
Unix | UNIX
Ubuntu | Ubuntu Linux
Red Hat Enterprise Linux | RHEL | Red Hat Linux
Microsoft Windows | Windows | MS Windows
Windows Server | Microsoft Windows Server
macOS | Apple macOS | Mac OS X | OS X | Mac OS
Active Directory | Microsoft Active Directory | MS Active Directory
Hyper-V | Microsoft Hyper-V Server | Microsoft Hyper-V

# Databases.
PostgreSQL | Postgres | psql | Postgre SQL | PostgresSQL
MySQL | My SQL
Microsoft SQL Server | SQL Server | MSSQL | MS SQL | MS SQL Server
Oracle Database | Oracle DB | Oracle RDBMS
MongoDB | Mongo | Mongo DB
Redis; SQLite; MariaDB
Couchbase | Couchbase Server
Neo4j
NoSQL | NoSQL databases
Teradata | Teradata Database | Teradata software
IBM Db2 | IBM DB2 | DB2

# Analytics and reporting.
Microsoft Excel | Excel | MS Excel | Microsoft Office Excel
Tableau | Tableau Desktop
Power BI | Microsoft Power BI | PowerBI | MS Power BI
Looker | Google Looker Analytics | Google Looker
QlikView | Qlik Tech QlikView
Qlik Sense | @bi
Alteryx | Alteryx software
SSRS | Microsoft SQL Server Reporting Services SSRS | SQL Server Reporting Services
SSIS | Microsoft SQL Server Integration Services SSIS | SQL Server Integration Services
SSAS | Micosoft SQL Server Analysis Services SSAS | SQL Server Analysis Services
Crystal Reports | SAP Crystal Reports | SAP BusinessObjects Crystal Reports
SAP BusinessObjects | SAP Business Objects | Business Objects | BusinessObjects
Minitab; MicroStrategy
Google Analytics | GA4
Google Tag Manager | GTM

# Office and collaboration.
Microsoft Office | Microsoft Office software | MS Office | Office 365 | Microsoft 365 | M365
Microsoft Word | MS Word
Microsoft PowerPoint | PowerPoint | MS PowerPoint
Microsoft Outlook | Outlook | MS Outlook
Microsoft Access | MS Access
Microsoft Project | MS Project
SharePoint | Microsoft SharePoint | MS SharePoint
Microsoft Visio | Visio | MS Visio
Microsoft Teams | MS Teams
Microsoft Dynamics | Dynamics 365 | MS Dynamics | Microsoft Dynamics 365
Google Workspace | Google Workspace software | G Suite | GSuite
Google Docs; Google Sheets; Slack
Zoom | Zoom video conferencing
Jira | Atlassian JIRA | JIRA | Jira Software
Confluence | Atlassian Confluence
Asana; Trello | @project; Smartsheet; Airtable
Notion | Notion.so | @project
monday.com | Monday.com | @project

# CRM, marketing, HR, ERP.
Salesforce | SFDC | Salesforce software | Salesforce.com Salesforce CRM | Salesforce CRM
    | Salesforce.com
HubSpot | HubSpot software | HubSpot CRM
Marketo | Marketo Marketing Automation | Adobe Marketo
Eloqua | Oracle Eloqua
Mailchimp | MailChimp
Zendesk | @helpdesk; ServiceNow
Workday | Workday software | Workday HCM
SAP SuccessFactors | SuccessFactors | @hr
Taleo | Oracle Taleo
iCIMS | iCIMS Talent Cloud software | ICIMS
Bullhorn | Bullhorn Applicant Tracking System | Bullhorn ATS
Greenhouse | Greenhouse ATS | Greenhouse.io | @hr
Lever | Lever ATS | @hr
LinkedIn Recruiter | @hr; LinkedIn
ADP Workforce Now | ADP WFN
SAP | SAP software
SAP ERP | SAP ECC
Oracle NetSuite | NetSuite | NetSuite ERP
QuickBooks | Intuit QuickBooks
Oracle PeopleSoft | PeopleSoft
SAP Concur | Concur
Epic Systems | Epic Systems software | Epic EHR | Epic | Epic Hyperspace

# Design.
Figma
Sketch | Sketch app | @design
Adobe XD
InVision | InVision software
Adobe Photoshop | Photoshop
Adobe Illustrator | Illustrator
Adobe InDesign | InDesign
Adobe Creative Cloud | Adobe Creative Cloud software | Adobe Creative Suite | Creative Cloud
Adobe Premiere Pro | Premiere Pro
Adobe After Effects | After Effects
Adobe Acrobat | Acrobat
Canva
AutoCAD | Autodesk AutoCAD
SolidWorks | Dassault Systemes SolidWorks
Revit | Autodesk Revit
SketchUp | Trimble SketchUp Pro | SketchUp Pro
Blender
CATIA | Dassault Systemes CATIA | IBM CATIA
Autodesk Maya | Maya 3D

# Development tools and testing.
Visual Studio | Microsoft Visual Studio | MS Visual Studio
Visual Studio Code | VS Code | VSCode | @devenv
IntelliJ IDEA | JetBrains IntelliJ IDEA | IntelliJ
Eclipse | Eclipse IDE
Xcode
Selenium | Selenium WebDriver
JUnit; TestNG
pytest | PyTest | @testing
Jest | @testing
Cypress | Cypress.io | @testing
Postman
Apache JMeter | JMeter
QuickTest Professional | QTP | HP QuickTest Professional
    | Hewlett-Packard HP QuickTest Professional | Hewlett-Packard QuickTest Professional
LoadRunner | Hewlett Packard LoadRunner | HP LoadRunner
Wireshark; Metasploit; Nmap; Kali Linux
Burp Suite | Portswigger BurP Suite | PortSwigger Burp Suite
WordPress; Drupal; Shopify | @web
Google Ads | Google AdWords | AdWords

# Technical skills and concepts, and the systems recruiters name by acronym.
Machine learning | ML | @tech
Deep learning | @tech
Artificial intelligence | AI | Artificial intelligence software | @tech
Generative AI | GenAI | Gen AI | @tech
Large language models | LLM | LLMs | Large language model | @tech
Natural language processing | NLP | @tech
Computer vision | @tech; Data science | @tech; Data engineering | @tech
ETL | Extract transform load | Extract, transform, load | @tech
Data warehousing | Data warehouse | @tech
Data modeling | Data modelling | @tech
Big data | @tech
REST APIs | RESTful API | REST | REST API | RESTful | RESTful APIs | RESTful web services
Microservices | Microservice architecture | Microservices architecture | @tech
Object-oriented programming | OOP | Object oriented programming | @tech
Data structures and algorithms | Data structures | Algorithms | DSA | @tech
System design | Systems design | @tech
Distributed systems | @tech
Test-driven development | TDD | Test driven development | @tech
Unit testing | @tech
Test automation | Automated testing | Automation testing | @tech
Quality assurance | QA | Software quality assurance | @tech
Continuous integration | CI/CD | Continuous integration software | Continuous delivery
    | Continuous deployment | Continuous integration and continuous delivery | CI/CD pipelines
    | @tech
DevOps | @tech
Site reliability engineering | SRE | @tech
Infrastructure as code | IaC | @tech
Cloud computing | @tech
Cybersecurity | Cyber security | Information security | InfoSec | IT security | @tech
Penetration testing | Pen testing | Pentesting | Ethical hacking | @tech
Computer networking | Networking protocols | TCP/IP | @tech
System administration | Sysadmin | Systems administration | @tech
Technical support | IT support | Help desk support | @tech
Web development | @tech
Front-end development | Frontend development | Front end development | Frontend | Front-end
    | @tech
Back-end development | Backend development | Back end development | Backend | Back-end | @tech
Full-stack development | Full stack development | Fullstack development | Full stack
    | Full-stack | @tech
Mobile development | Mobile app development | Mobile application development | @tech
Embedded systems | Embedded software | @tech
Blockchain | @tech
UX design | UX | User experience | User experience design | @tech
UI design | UI | User interface design | @tech
Web accessibility | Accessibility | WCAG | a11y | @tech
Enterprise resource planning | ERP | Enterprise resource planning ERP software | ERP software
    | Enterprise resource planning ERP system
Customer relationship management | CRM | Customer relationship management CRM software
    | CRM software
Applicant tracking systems | ATS | Applicant tracking software | Applicant tracking system
    | Applicant tracking
Human resource information systems | HRIS | Human resource information system (HRIS)
    | Human resource information system | HRIS software
Learning management systems | LMS | Learning management system LMS | Learning management system
Content management systems | CMS | Content management systems CMS | Content management system
Computer-aided design | CAD | Computer aided design CAD software | Computer aided design
    | CAD software
Electronic medical records | EMR | Electronic medical record EMR software
    | Electronic medical record EMR systems | Electronic medical record
Electronic health records | EHR | Electronic health record EHR software
    | Electronic health record
Point of sale systems | POS | Point of sale POS software | Point of sale | POS software
Integrated development environments | IDE | Integrated development environment IDE software
    | Integrated development environment
Version control | Version control software | Source control | Version control systems
Business intelligence | BI | Business intelligence software | @bi
Search engine optimization | SEO | Search engine optimization SEO software
Search engine marketing | SEM | Search engine marketing SEM software

# Ways of working.
Agile | Agile methodology | Agile methodologies | Agile software development | @method
Scrum | Scrum methodology | @method
Kanban | @method
Lean | Lean methodology | @method
Six Sigma | Lean Six Sigma | @method
Waterfall | Waterfall methodology | @method

# Professional skills recruiters search for.
Project management | Project planning | Project coordination | @pro
Program management | Programme management | @pro
Product management | @pro
Stakeholder management | Stakeholder engagement | Stakeholder relations | @pro
Recruiting | Recruitment | Talent acquisition | Full-cycle recruiting | Full cycle recruiting
    | Full life cycle recruiting | 360 recruiting | @pro
Technical recruiting | Tech recruiting | IT recruiting | Technical recruitment | @pro
Executive search | Headhunting | @pro
Sourcing | Candidate sourcing | Talent sourcing | @pro
Boolean search | Boolean sourcing | X-ray search | @pro
Interviewing | Candidate interviewing | Structured interviewing | @pro
Candidate experience | @pro; Employer branding | @pro
Onboarding | Employee onboarding | @pro
Negotiation | Negotiating | Negotiation skills | @pro
Data analysis | Data analytics | Analyzing data | @pro
Data visualization | Data visualisation | Dashboarding | @pro
Statistical analysis | Statistics | @pro
Business analysis | Requirements gathering | Requirements analysis | @pro
Communication | Communication skills | Written communication | Verbal communication | @pro
Public speaking | Presentation skills | @pro
Leadership | Team leadership | @pro
People management | Team management | Line management | Staff management | @pro
Coaching | @pro
Mentoring | Mentorship | @pro
Customer service | Customer support | @pro
Account management | Key account management | @pro
Business development | BizDev | @pro
Sales | B2B sales | Selling | @pro
Cold calling | @pro
Lead generation | Lead gen | @pro
Change management | @pro
Process improvement | Continuous improvement | Business process improvement | @pro
Strategic planning | @pro
Budgeting | Budget management | @pro
Financial modeling | Financial modelling | @pro
Forecasting | @pro
Problem solving | Problem-solving | @pro
Critical thinking | @pro; Time management | @pro
Teamwork | Collaboration | @pro
Copywriting | @pro; Technical writing | @pro; Content marketing | @pro
Digital marketing | Online marketing | @pro
Social media marketing | SMM | @pro
Email marketing | @pro; Market research | @pro; Employee relations | @pro
Performance management | @pro
Compensation and benefits | Comp and ben | Total rewards | @pro
Payroll | Payroll processing | @pro
Bookkeeping | @pro; Risk management | @pro
"""


def _parse(table: str) -> tuple[Curated, ...]:
    entries: list[list[str]] = []
    for raw in table.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("|"):
            entries[-1] += [part.strip() for part in line[1:].split("|")]
            continue
        entries += [[part.strip() for part in entry.split("|")] for entry in line.split(";")]
    curated = []
    for name, *rest in entries:
        categories = [CATEGORIES[part[1:]] for part in rest if part.startswith("@")]
        aliases = tuple(part for part in rest if not part.startswith("@"))
        curated.append(Curated(name, aliases, categories[0] if categories else None))
    return tuple(curated)


CURATED: tuple[Curated, ...] = _parse(_TABLE)

# Vendor names O*NET puts in front of product names. "Adobe Photoshop" also answers to
# "Photoshop", but only when the rest is distinctive (see ``build_taxonomy._distinctive``)
# and no other skill claims it. Longest prefixes first.
# fmt: off
_VENDORS = (
    "Adobe", "Amazon", "Amazon Web Services AWS", "Apache", "Apple", "Atlassian", "Autodesk",
    "Bentley", "Bentley Systems", "Bloomberg", "Cisco", "Cisco Systems", "Cloudera", "Corel",
    "Dassault Systemes", "Embarcadero", "ESRI", "Google", "Grafana Labs", "HashiCorp",
    "Hewlett Packard", "Hewlett-Packard", "Hewlett-Packard HP", "HP", "IBM", "Infor",
    "Informatica Corporation", "Intuit", "JetBrains", "McAfee", "Microsoft",
    "National Instruments", "Oracle", "Palo Alto Networks", "Portswigger", "Qlik Tech", "Red Hat",
    "Rockwell Automation", "Salesforce", "SAP", "SAS", "Schneider Electric", "Siemens",
    "StataCorp", "Sun Microsystems", "Symantec", "The MathWorks", "Thomson Reuters", "Trimble",
    "Unity Technologies", "Unreal Technology", "VMware", "Wolters Kluwer",
)

# Everyday words that O*NET's own vocabulary misses; a product name reduced to one of these
# ("Google Docs" -> "Docs") is not kept as an alias.
EXTRA_COMMON_WORDS: frozenset[str] = frozenset((
    "books", "chrome", "docs", "earth", "edge", "forms", "keep", "lens", "lists", "maps", "meet",
    "news", "paint", "photos", "planner", "publisher", "scholar", "sheets", "slides", "sites",
    "stream", "translate", "video", "vision", "voice",
))
# fmt: on

VENDOR_PREFIXES: tuple[str, ...] = tuple(
    sorted(_VENDORS, key=lambda vendor: (-len(vendor), vendor))
)
